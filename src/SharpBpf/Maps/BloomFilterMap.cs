using System.Numerics;
using System.Security.Cryptography;

namespace SharpBpf.Maps;

/// <summary>
/// BLOOM_FILTER (kernel/bpf/bloom_filter.c): a set of values with no keys and no removal. A push sets
/// <c>nr_hashes</c> bits (the low 4 bits of map_extra, 0 meaning 5); a peek hits when all of a value's bits are set,
/// so a pushed value always hits and an absent one may hit too (a false positive) — like Linux, though not on the
/// same values: the hash is SharpBpf's own, seeded at random per map (BPF_F_ZERO_SEED: seed 0). The bit count
/// follows the kernel's sizing: <c>max_entries * nr_hashes * 7 / 5</c>, at least 64, rounded up to a power of two.
/// Host form: <see cref="BpfMap.Update"/> pushes and <see cref="BpfMap.Lookup"/> peeks the value it is given (keys
/// are empty). Errno measured on Linux 6.18: flags other than BPF_ANY -EINVAL; a miss -ENOENT; delete and
/// get_next_key -EOPNOTSUPP; lookup-and-delete -ENOTSUPP; pop, and update/delete from programs -EOPNOTSUPP.
/// </summary>
internal sealed unsafe class BloomFilterMap : BpfMap
{
    private const int DefaultHashCount = 5;
    private const ulong MaxBits = 1UL << 32;
    private readonly ulong[] _bits;
    private readonly ulong _bitMask;
    private readonly ulong _seed;
    private long _pushes;

    internal BloomFilterMap(MapDefinition definition, MapCreateOptions options) : base(definition, options)
    {
        var extra = (int)(definition.MapExtra & MapCreateValidator.BloomHashCountMask);
        HashCount = extra == 0 ? DefaultHashCount : extra;
        var wanted = Math.Min((ulong)definition.MaxEntries * (ulong)HashCount * 7 / 5, MaxBits);
        var bitCount = Math.Max(64UL, BitOperations.RoundUpToPowerOf2(wanted));
        _bits = new ulong[bitCount / 64];
        _bitMask = bitCount - 1;
        _seed = (definition.Flags & MapCreateFlags.ZeroSeed) != 0 ? 0 : BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    }

    /// <summary>How many bits each value sets (map_extra's low 4 bits, or 5).</summary>
    public int HashCount { get; }

    /// <summary>Size of the bit array.</summary>
    public ulong BitCount => _bitMask + 1;

    /// <summary>How many values were pushed (a bloom filter cannot count distinct members).</summary>
    public override int Count => (int)Math.Min(Interlocked.Read(ref _pushes), int.MaxValue);

    public override Errno Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckHostValue(value.Length, nameof(value));
        return Push(value[..ValueSize], (ulong)flags);
    }

    public override Errno Lookup(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckHostValue(value.Length, nameof(value));
        if (flags != MapUpdateFlags.Any) return Errno.EINVAL;
        return Peek(value[..ValueSize]);
    }

    public override Errno Delete(ReadOnlySpan<byte> key) => Errno.EOPNOTSUPP;
    public override Errno GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey) => Errno.EOPNOTSUPP;
    public override Errno LookupAndDelete(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any) => Errno.ENOTSUPP;

    internal override long PushElem(nint value, ulong flags) => Push(new ReadOnlySpan<byte>((void*)value, ValueSize), flags).ToHelperResult();
    internal override long PeekElem(nint value) => Peek(new ReadOnlySpan<byte>((void*)value, ValueSize)).ToHelperResult();
    internal override long PopElem(nint value) => Errno.EOPNOTSUPP.ToHelperResult();
    internal override long UpdateElem(nint key, nint value, ulong flags) => Errno.EOPNOTSUPP.ToHelperResult();
    internal override long DeleteElem(nint key) => Errno.EOPNOTSUPP.ToHelperResult();

    private Errno Push(ReadOnlySpan<byte> value, ulong flags)
    {
        if (flags != (ulong)MapUpdateFlags.Any) return Errno.EINVAL;
        var hash = BaseHash(value);
        for (var i = 0; i < HashCount; i++)
        {
            var bit = Probe(hash, i);
            Interlocked.Or(ref _bits[bit / 64], 1UL << (int)(bit % 64));
        }
        Interlocked.Increment(ref _pushes);
        return Errno.None;
    }

    private Errno Peek(ReadOnlySpan<byte> value)
    {
        var hash = BaseHash(value);
        for (var i = 0; i < HashCount; i++)
        {
            var bit = Probe(hash, i);
            if ((Volatile.Read(ref _bits[bit / 64]) & (1UL << (int)(bit % 64))) == 0) return Errno.ENOENT;
        }
        return Errno.None;
    }

    /// <summary>FNV-1a over the value, started from the map's seed.</summary>
    private ulong BaseHash(ReadOnlySpan<byte> value)
    {
        var hash = 0xcbf29ce484222325UL ^ _seed;
        foreach (var b in value) hash = (hash ^ b) * 0x100000001b3UL;
        return hash;
    }

    /// <summary>The i-th bit of a value: the base hash with the probe number mixed in by a splitmix64 finalizer.</summary>
    private ulong Probe(ulong hash, int i)
    {
        var z = hash + (ulong)(i + 1) * 0x9e3779b97f4a7c15UL;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return (z ^ (z >> 31)) & _bitMask;
    }

    protected override void FreeMemory()
    {
    }
}

using System.Buffers.Binary;

namespace SharpBpf.Maps;

/// <summary>
/// DEVMAP_HASH (kernel/bpf/devmap.c): devmap targets under arbitrary u32 keys. Values and their checks are DEVMAP's
/// (<see cref="RedirectArrayMap"/>), except that ifindex 0 is -EINVAL. Measured on Linux 6.18: BPF_NOEXIST on a key
/// present -EEXIST, BPF_EXIST on a missing key creates it, a new key in a full map -E2BIG, deleting a missing key
/// -ENOENT. get_next_key follows the kernel's buckets: <c>key &amp; (roundup_pow_of_two(max_entries) - 1)</c> in
/// ascending order, newest key first within a bucket; an unknown key restarts at the first.
/// </summary>
internal sealed unsafe class DevmapHashMap : BpfMap
{
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, nint> _values = [];
    /// <summary>Bucket index → keys in the bucket, newest first (the kernel adds at the bucket's head).</summary>
    private readonly SortedDictionary<ulong, List<uint>> _buckets = [];
    private readonly ulong _bucketMask;

    internal DevmapHashMap(MapDefinition definition, MapCreateOptions options) : base(definition, options) =>
        _bucketMask = System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)definition.MaxEntries) - 1;

    public override int Count
    {
        get
        {
            lock (_lock) return _values.Count;
        }
    }

    public override Errno Lookup(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckKey(key);
        CheckHostValue(value.Length, nameof(value));
        lock (_lock)
        {
            if (!_values.TryGetValue(BinaryPrimitives.ReadUInt32LittleEndian(key), out var stored)) return Errno.ENOENT;
            new ReadOnlySpan<byte>((void*)stored, ValueSize).CopyTo(value);
            return Errno.None;
        }
    }

    public override Errno Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckKey(key);
        CheckHostValue(value.Length, nameof(value));
        var ifIndex = BinaryPrimitives.ReadUInt32LittleEndian(value);
        if ((ulong)flags > (ulong)MapUpdateFlags.Exist || ifIndex == 0) return Errno.EINVAL;
        var index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        lock (_lock)
        {
            var exists = _values.ContainsKey(index);
            if (exists && flags == MapUpdateFlags.NoExist) return Errno.EEXIST;
            var programFd = ValueSize >= 8 ? BinaryPrimitives.ReadInt32LittleEndian(value[4..]) : 0;
            if (!Options.InterfaceExists(ifIndex) || programFd > 0) return Errno.EINVAL;
            if (!exists && _values.Count >= MaxEntries) return Errno.E2BIG;
            var memory = (nint)ValueLayout.AllocateZeroed((nuint)ValueSize);
            *(uint*)memory = ifIndex;
            if (exists) Remove(index);
            _values[index] = memory;
            var bucket = index & _bucketMask;
            if (!_buckets.TryGetValue(bucket, out var keys)) _buckets[bucket] = keys = [];
            keys.Insert(0, index);
            return Errno.None;
        }
    }

    public override Errno Delete(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        CheckKey(key);
        lock (_lock) return Remove(BinaryPrimitives.ReadUInt32LittleEndian(key)) ? Errno.None : Errno.ENOENT;
    }

    public override Errno GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        ThrowIfDisposed();
        if (nextKey.Length < KeySize) ThrowHelper.BufferTooSmall(nameof(nextKey), KeySize, nextKey.Length);
        lock (_lock)
        {
            var afterCurrent = false;
            var current = key.Length >= KeySize ? BinaryPrimitives.ReadUInt32LittleEndian(key) : 0;
            var found = key.Length >= KeySize && _values.ContainsKey(current);
            foreach (var (bucket, keys) in _buckets)
            {
                if (found && !afterCurrent && bucket < (current & _bucketMask)) continue;
                foreach (var candidate in keys)
                {
                    if (!found || afterCurrent)
                    {
                        BinaryPrimitives.WriteUInt32LittleEndian(nextKey, candidate);
                        return Errno.None;
                    }
                    afterCurrent = candidate == current;
                }
            }
            return Errno.ENOENT;
        }
    }

    internal override nint LookupElem(nint key)
    {
        lock (_lock) return _values.GetValueOrDefault(*(uint*)key);
    }

    private bool Remove(uint index)
    {
        if (!_values.Remove(index, out var old)) return false;
        Epochs.Retire(old);
        var bucket = index & _bucketMask;
        var keys = _buckets[bucket];
        keys.Remove(index);
        if (keys.Count == 0) _buckets.Remove(bucket);
        return true;
    }

    protected override void FreeMemory()
    {
        lock (_lock)
        {
            foreach (var value in _values.Values) Epochs.Retire(value);
            _values.Clear();
            _buckets.Clear();
        }
    }
}

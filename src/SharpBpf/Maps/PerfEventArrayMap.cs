using System.Buffers.Binary;

namespace SharpBpf.Maps;

/// <summary>
/// PERF_EVENT_ARRAY (kernel/bpf/arraymap.c with kernel/events): slot i holds a perf event whose ring buffer user space
/// reads; <c>bpf_perf_event_output</c> appends a sample to the event in the slot it names. SharpBpf has no perf
/// events, so the host opens a slot's buffer with <see cref="OpenBuffer"/> (what libbpf's perf_buffer does with
/// perf_event_open on CPU i and a map update) and reads what programs sent with <see cref="ReadRecords"/>.
/// <para>Records are the bytes the program sent (then the packet bytes it asked for), not padded: Linux pads a raw
/// sample so that its u32 size plus data end on 8 bytes, and readers see that padding as trailing bytes.</para>
/// Errno measured on Linux 6.18 (host): lookup -ENOTSUPP; update -EBADF (SharpBpf has no perf event fds); delete past
/// the end -E2BIG, of an empty slot -ENOENT; get_next_key walks every index like an array. Program-side errno are
/// <see cref="Output"/>'s. A buffer keeps at most <see cref="BufferCapacity"/> unread records; later ones are
/// counted in <see cref="LostRecords"/> as the kernel counts lost samples.
/// </summary>
internal sealed class PerfEventArrayMap : BpfMap
{
    /// <summary>BPF_F_CURRENT_CPU in the index bits of the flags: the slot of the CPU the program runs on.</summary>
    public const uint CurrentCpuIndex = 0xFFFF_FFFF;

    /// <summary>How many unread records one buffer keeps.</summary>
    public const int BufferCapacity = 65536;

    private readonly Lock _lock = new();
    private readonly Dictionary<uint, Buffer> _buffers = [];

    internal PerfEventArrayMap(MapDefinition definition, MapCreateOptions options) : base(definition, options)
    {
    }

    private sealed class Buffer(int cpu)
    {
        public int Cpu { get; } = cpu;
        public Queue<byte[]> Records { get; } = new();
        public long Lost { get; set; }
    }

    public override int Count
    {
        get
        {
            lock (_lock) return _buffers.Count;
        }
    }

    /// <summary>
    /// Puts a perf event in slot <paramref name="index"/>, bound to <paramref name="cpu"/> (default: the CPU numbered
    /// like the slot, as libbpf's perf buffer does). A program may only output to an event of the CPU it runs on.
    /// </summary>
    public Errno OpenBuffer(uint index, int? cpu = null)
    {
        ThrowIfDisposed();
        if (index >= (uint)MaxEntries) return Errno.E2BIG;
        var boundCpu = cpu ?? (int)index;
        if ((uint)boundCpu >= (uint)PossibleCpus) return Errno.EINVAL;
        lock (_lock) _buffers[index] = new Buffer(boundCpu);
        return Errno.None;
    }

    /// <summary>Takes every unread record of slot <paramref name="index"/>, oldest first (empty when no buffer is open).</summary>
    public IReadOnlyList<byte[]> ReadRecords(uint index)
    {
        lock (_lock)
        {
            if (!_buffers.TryGetValue(index, out var buffer)) return [];
            var records = buffer.Records.ToArray();
            buffer.Records.Clear();
            return records;
        }
    }

    /// <summary>Records slot <paramref name="index"/> could not keep because its buffer was full.</summary>
    public long LostRecords(uint index)
    {
        lock (_lock) return _buffers.TryGetValue(index, out var buffer) ? buffer.Lost : 0;
    }

    public override Errno Lookup(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any) => Errno.ENOTSUPP;

    public override Errno Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any) => Errno.EBADF;

    public override Errno Delete(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        CheckKey(key);
        var index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= (uint)MaxEntries) return Errno.E2BIG;
        lock (_lock) return _buffers.Remove(index) ? Errno.None : Errno.ENOENT;
    }

    public override Errno GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        ThrowIfDisposed();
        if (nextKey.Length < KeySize) ThrowHelper.BufferTooSmall(nameof(nextKey), KeySize, nextKey.Length);
        var index = key.Length >= KeySize ? BinaryPrimitives.ReadUInt32LittleEndian(key) : uint.MaxValue;
        uint next;
        if (index >= (uint)MaxEntries) next = 0;
        else if (index == (uint)MaxEntries - 1) return Errno.ENOENT;
        else next = index + 1;
        BinaryPrimitives.WriteUInt32LittleEndian(nextKey, next);
        return Errno.None;
    }

    /// <summary>
    /// The body of <c>bpf_perf_event_output</c> once flags are checked: the slot is <paramref name="index"/>, or the
    /// run's CPU for <see cref="CurrentCpuIndex"/>. A slot past the end is -E2BIG, an empty slot -ENOENT, an event of
    /// another CPU -EOPNOTSUPP.
    /// </summary>
    public Errno Output(uint index, ReadOnlySpan<byte> sample, ReadOnlySpan<byte> packetBytes)
    {
        var cpu = CurrentCpu;
        if (index == CurrentCpuIndex) index = (uint)cpu;
        if (index >= (uint)MaxEntries) return Errno.E2BIG;
        lock (_lock)
        {
            if (!_buffers.TryGetValue(index, out var buffer)) return Errno.ENOENT;
            if (buffer.Cpu != cpu) return Errno.EOPNOTSUPP;
            if (buffer.Records.Count >= BufferCapacity)
            {
                buffer.Lost++;
                return Errno.None;
            }
            var record = new byte[sample.Length + packetBytes.Length];
            sample.CopyTo(record);
            packetBytes.CopyTo(record.AsSpan(sample.Length));
            buffer.Records.Enqueue(record);
            return Errno.None;
        }
    }

    protected override void FreeMemory()
    {
        lock (_lock) _buffers.Clear();
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SharpBpf.Maps;

/// <summary>
/// RINGBUF (kernel/bpf/ringbuf.c): max_entries bytes of data, records with the kernel's 8-byte header
/// (<c>u32 len</c> with <see cref="RingBufferFlags.BusyBit"/>/<see cref="RingBufferFlags.DiscardBit"/>, <c>u32 pg_off</c>),
/// each rounded up to 8 bytes, 64-bit producer/consumer positions. The kernel maps the data twice so a record
/// that wraps is contiguous; we keep a second copy-area after the data instead and fold a wrapped record back
/// into place when it is committed, which is equivalent because nobody may read a record before its commit.
/// <c>pg_off</c> is the header's page offset from the start of the kernel's <c>struct bpf_ringbuf</c> (the data
/// begins at page <see cref="DataPageOffset"/>). A discarded record still counts as available data until consumed.
/// Does not: wake anything up (the wakeup flags are validated and ignored), or implement BPF_F_RB_OVERWRITE.
/// </summary>
public sealed unsafe class RingBufferMap : BpfMap
{
    /// <summary>Page index of the data area in the kernel's layout (header, consumer, producer pages come first).</summary>
    internal const int DataPageOffset = 3;

    private readonly byte* _data;
    private readonly ulong _mask;
    private readonly Lock _lock = new();
    private ulong _producer;
    private ulong _consumer;
    private ulong _pending;

    internal RingBufferMap(MapDefinition definition, MapCreateOptions options) : base(definition, options)
    {
        _mask = definition.MaxEntries - 1UL;
        _data = ValueLayout.AllocateZeroed((nuint)definition.MaxEntries * 2);
    }

    /// <summary>Bytes of committed records not yet consumed (<c>bpf_ringbuf_query(BPF_RB_AVAIL_DATA)</c>).</summary>
    public override int Count => (int)Math.Min(int.MaxValue, Query(RingBufferFlags.QueryAvailableData));

    /// <summary>The ring's data size in bytes (<c>max_entries</c>, a power of two).</summary>
    public ulong RingSize => _mask + 1;

    /// <summary>A ring buffer has no elements: always <see cref="Errno.ENOTSUPP"/>, as in Linux.</summary>
    public override Errno Lookup(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any) => Errno.ENOTSUPP;
    /// <summary>A ring buffer has no elements: always <see cref="Errno.ENOTSUPP"/>, as in Linux.</summary>
    public override Errno Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any) => Errno.ENOTSUPP;
    /// <summary>A ring buffer has no elements: always <see cref="Errno.ENOTSUPP"/>, as in Linux.</summary>
    public override Errno Delete(ReadOnlySpan<byte> key) => Errno.ENOTSUPP;
    /// <summary>A ring buffer has no elements: always <see cref="Errno.ENOTSUPP"/>, as in Linux.</summary>
    public override Errno GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey) => Errno.ENOTSUPP;

    /// <summary><c>bpf_ringbuf_reserve</c>: the sample's address (after the header), or 0 when it does not fit or flags ≠ 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal nint Reserve(ulong size, ulong flags)
    {
        if (flags != 0 || size > (uint.MaxValue >> 2)) return 0;
        var length = (size + RingBufferFlags.HeaderSize + 7) & ~7UL;
        if (length > _mask + 1) return 0;
        lock (_lock)
        {
            var consumer = Volatile.Read(ref _consumer);
            AdvancePending();
            var newProducer = _producer + length;
            if (newProducer - consumer > _mask || newProducer - _pending > _mask) return 0;
            var header = _data + (_producer & _mask);
            ((uint*)header)[0] = (uint)size | RingBufferFlags.BusyBit;
            ((uint*)header)[1] = (uint)(DataPageOffset + ((_producer & _mask) >> 12));
            Volatile.Write(ref _producer, newProducer);
            return (nint)(header + RingBufferFlags.HeaderSize);
        }
    }

    /// <summary>The kernel's pending position: skips committed records so a busy one holds reservations back.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AdvancePending()
    {
        while (_pending < _producer)
        {
            var word = Volatile.Read(ref *(uint*)(_data + (_pending & _mask)));
            if ((word & RingBufferFlags.BusyBit) != 0) break;
            _pending += ((word & ~(RingBufferFlags.BusyBit | RingBufferFlags.DiscardBit)) + RingBufferFlags.HeaderSize + 7) & ~7UL;
        }
    }

    /// <summary><c>bpf_ringbuf_submit</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Submit(nint sample, ulong flags) => Commit(sample, discard: false);

    /// <summary><c>bpf_ringbuf_discard</c>.</summary>
    internal void Discard(nint sample, ulong flags) => Commit(sample, discard: true);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Commit(nint sample, bool discard)
    {
        var header = (byte*)sample - RingBufferFlags.HeaderSize;
        var offset = (ulong)(header - _data);
        if (offset > _mask) return; // not a sample of this ring: the verifier makes this impossible
        var size = ((uint*)header)[0] & ~(RingBufferFlags.BusyBit | RingBufferFlags.DiscardBit);
        var end = offset + RingBufferFlags.HeaderSize + size;
        if (end > _mask + 1)
        {
            var spill = (long)(end - (_mask + 1));
            Buffer.MemoryCopy(_data + _mask + 1, _data, spill, spill);
        }
        var word = size | (discard ? RingBufferFlags.DiscardBit : 0);
        Volatile.Write(ref *(uint*)header, word);
    }

    /// <summary><c>bpf_ringbuf_output</c>: 0, -EINVAL for unknown flags, -EAGAIN when full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal long Output(nint data, ulong size, ulong flags)
    {
        if ((flags & ~(RingBufferFlags.NoWakeup | RingBufferFlags.ForceWakeup)) != 0) return Errno.EINVAL.ToHelperResult();
        var sample = Reserve(size, 0);
        if (sample == 0) return Errno.EAGAIN.ToHelperResult();
        Buffer.MemoryCopy((void*)data, (void*)sample, (long)size, (long)size);
        Submit(sample, flags);
        return 0;
    }

    /// <summary>Host form of <see cref="Output(nint, ulong, ulong)"/>.</summary>
    public long Output(ReadOnlySpan<byte> data, ulong flags = 0)
    {
        fixed (byte* pointer = data) return Output((nint)pointer, (ulong)data.Length, flags);
    }

    /// <summary><c>bpf_ringbuf_query</c>: unknown selectors give 0.</summary>
    public ulong Query(ulong flags)
    {
        var consumer = Volatile.Read(ref _consumer);
        var producer = Volatile.Read(ref _producer);
        return flags switch
        {
            RingBufferFlags.QueryAvailableData => producer - consumer,
            RingBufferFlags.QueryRingSize => _mask + 1,
            RingBufferFlags.QueryConsumerPosition => consumer,
            RingBufferFlags.QueryProducerPosition => producer,
            _ => 0,
        };
    }

    /// <summary>Handler of <see cref="Consume"/>; return false to stop after this sample.</summary>
    public delegate bool SampleHandler(ReadOnlySpan<byte> sample);

    /// <summary>
    /// The host consumer (libbpf's <c>ring_buffer__consume</c>): hands every committed, non-discarded sample in
    /// order to <paramref name="handler"/> and advances the consumer position past it (discarded ones are skipped);
    /// stops at a record still reserved. Returns the number of samples handed over.
    /// </summary>
    public int Consume(SampleHandler handler)
    {
        var count = 0;
        var scratch = Array.Empty<byte>();
        while (true)
        {
            var consumer = Volatile.Read(ref _consumer);
            if (consumer >= Volatile.Read(ref _producer)) return count;
            var header = _data + (consumer & _mask);
            var word = Volatile.Read(ref *(uint*)header);
            if ((word & RingBufferFlags.BusyBit) != 0) return count;
            var size = (int)(word & ~(RingBufferFlags.BusyBit | RingBufferFlags.DiscardBit));
            var keepGoing = true;
            if ((word & RingBufferFlags.DiscardBit) == 0)
            {
                var start = (consumer & _mask) + RingBufferFlags.HeaderSize;
                if (scratch.Length < size) scratch = new byte[size];
                for (var i = 0; i < size; i++) scratch[i] = _data[(start + (ulong)i) & _mask];
                count++;
                keepGoing = handler(scratch.AsSpan(0, size));
            }
            Volatile.Write(ref _consumer, consumer + (((ulong)size + RingBufferFlags.HeaderSize + 7) & ~7UL));
            if (!keepGoing) return count;
        }
    }

    /// <inheritdoc/>
    protected override void FreeMemory() => Epochs.Retire((nint)_data);
}

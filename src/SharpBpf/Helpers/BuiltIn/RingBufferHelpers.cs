using System.Collections.Concurrent;
using SharpBpf.Maps;
using System.Runtime.CompilerServices;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// bpf_ringbuf_output / reserve / submit / discard / query over <see cref="RingBufferMap"/>. A reserved record is
/// registered as a writable region of the run; submit and discard find the record's ring through the reservations
/// this helper set keeps (the kernel reads it from the record header).
/// Does not: revoke a submitted record's region for the rest of the run (the verifier forbids using it).
/// </summary>
internal sealed class RingBufferHelpers(HelperEnvironment environment)
{
    private readonly ConcurrentDictionary<nint, RingBufferMap> _reserved = new();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Output(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var ring = Ring(context, r1, "bpf_ringbuf_output");
        context.GetArgumentMemory(2, r2, r3, MemoryAccess.Read);
        return HelperErrors.Result(ring.Output((nint)r2, r3, r4));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Reserve(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var ring = Ring(context, r1, "bpf_ringbuf_reserve");
        var sample = ring.Reserve(r2, r3);
        if (sample != 0)
        {
            _reserved[sample] = ring;
            context.AddRegion(sample, (long)r2, MemoryAccess.ReadWrite);
        }

        return (ulong)sample;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Submit(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Take(context, r1, "bpf_ringbuf_submit").Submit((nint)r1, r2);
        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Discard(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Take(context, r1, "bpf_ringbuf_discard").Discard((nint)r1, r2);
        return 0;
    }

    public ulong Query(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        Ring(context, r1, "bpf_ringbuf_query").Query(r2);

    private RingBufferMap Ring(HelperCallContext context, ulong handle, string helper)
    {
        if (HelperErrors.Map(context, environment, handle, helper) is not RingBufferMap ring)
        {
            context.Fault($"{helper}: the map is not a ring buffer");
            return null!;
        }

        return ring;
    }

    private RingBufferMap Take(HelperCallContext context, ulong sample, string helper)
    {
        if (sample > (ulong)nint.MaxValue || !_reserved.TryRemove((nint)sample, out var ring))
        {
            context.Fault($"{helper}: 0x{sample:x} is not a reserved ring buffer record");
            return null!;
        }

        return ring;
    }
}

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

    /// <summary>
    /// bpf_ringbuf_reserve_dynptr(map, size, flags, ptr): 0 with a ring buffer dynptr, or an error with a NULL one:
    /// -EINVAL for flags (checked first), -E2BIG past DYNPTR_MAX_SIZE, and -EINVAL again when the record does not fit
    /// (measured on Linux 6.18: not bpf_ringbuf_output's -EAGAIN).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong ReserveDynptr(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        const string helper = "bpf_ringbuf_reserve_dynptr";
        var ring = Ring(context, r1, helper);
        var dynptr = DynptrLayout.At(context, r4, helper);
        uint size = (uint)r2;
        ulong error = r3 != 0 ? HelperErrors.Einval : size > DynptrLayout.MaxSize ? HelperErrors.E2big : 0;
        var sample = error == 0 ? ring.Reserve(size, 0) : 0;
        if (sample == 0)
        {
            dynptr.SetNull();
            return error != 0 ? error : HelperErrors.Einval;
        }

        _reserved[sample] = ring;
        context.AddRegion(sample, size, MemoryAccess.ReadWrite);
        dynptr.Initialize((ulong)sample, DynptrType.Ringbuf, size);
        return 0;
    }

    /// <summary>bpf_ringbuf_submit_dynptr(ptr, flags): commits the record and makes the dynptr NULL (a NULL one is left alone).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong SubmitDynptr(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        CommitDynptr(context, r1, r2, discard: false, "bpf_ringbuf_submit_dynptr");

    /// <summary>bpf_ringbuf_discard_dynptr(ptr, flags).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong DiscardDynptr(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        CommitDynptr(context, r1, r2, discard: true, "bpf_ringbuf_discard_dynptr");

    private ulong CommitDynptr(HelperCallContext context, ulong address, ulong flags, bool discard, string helper)
    {
        var dynptr = DynptrLayout.At(context, address, helper);
        if (dynptr.IsNull)
        {
            return 0;
        }

        var ring = Take(context, dynptr.Data, helper);
        if (discard)
        {
            ring.Discard((nint)dynptr.Data, flags);
        }
        else
        {
            ring.Submit((nint)dynptr.Data, flags);
        }

        dynptr.SetNull();
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

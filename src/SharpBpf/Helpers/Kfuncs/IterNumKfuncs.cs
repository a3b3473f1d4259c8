using System.Buffers.Binary;

namespace SharpBpf.Helpers.Kfuncs;

/// <summary>
/// The open-coded number iterator (<c>bpf_for</c>, <c>bpf_repeat</c>): <c>struct bpf_iter_num</c> is 8 bytes on the
/// program's stack holding the current and the end value (two ints, as the kernel's <c>bpf_iter_num_kern</c>); next
/// hands back a pointer to the current value. Answers as Linux 6.18 does: start &gt; end is -EINVAL, a range of more
/// than BPF_MAX_LOOPS values -E2BIG, and a failed or drained iterator yields NULL.
/// </summary>
internal static class IterNumKfuncs
{
    /// <summary>The kernel's BPF_MAX_LOOPS.</summary>
    private const long MaxLoops = 8 * 1024 * 1024;

    private const ulong Einval = unchecked((ulong)-22L), E2big = unchecked((ulong)-7L);

    public static ulong New(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var iterator = context.GetMemory(r1, 8, MemoryAccess.Write);
        int start = (int)r2, end = (int)r3;
        if (start > end || (long)end - start > MaxLoops)
        {
            Store(iterator, 0, 0);
            return start > end ? Einval : E2big;
        }

        // next() comes first, so start one before.
        Store(iterator, unchecked(start - 1), end);
        return 0;
    }

    public static ulong Next(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var iterator = context.GetMemory(r1, 8, MemoryAccess.ReadWrite);
        int current = BinaryPrimitives.ReadInt32LittleEndian(iterator);
        int end = BinaryPrimitives.ReadInt32LittleEndian(iterator[4..]);
        // current + 1 wraps as the kernel's int does (start INT_MIN begins at INT_MAX).
        if (unchecked(current + 1) >= (long)end)
        {
            Store(iterator, 0, 0);
            return 0;
        }

        BinaryPrimitives.WriteInt32LittleEndian(iterator, current + 1);
        return r1;
    }

    public static ulong Destroy(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Store(context.GetMemory(r1, 8, MemoryAccess.Write), 0, 0);
        return 0;
    }

    private static void Store(Span<byte> iterator, int current, int end)
    {
        BinaryPrimitives.WriteInt32LittleEndian(iterator, current);
        BinaryPrimitives.WriteInt32LittleEndian(iterator[4..], end);
    }
}

using System.Runtime.CompilerServices;

namespace SharpBpf.Helpers;

/// <summary>
/// The value a program holds for a subprogram: what <c>lddw dst, func</c> (BPF_PSEUDO_FUNC) loads and what
/// callbacks of bpf_loop and bpf_timer_set_callback receive. The kernel uses the code address; we use the slot
/// index tagged in the upper bits, a non-canonical address on every 64-bit CPU, so it can never name real memory
/// and every engine maps it back to the same slot.
/// </summary>
internal static class FunctionPointer
{
    /// <summary>The tag in bits 40–63.</summary>
    public const ulong Tag = 0xBF0F_0000_0000_0000;
    private const ulong TagMask = 0xFFFF_FF00_0000_0000;

    public static ulong Encode(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        return Tag | (uint)slot;
    }

    /// <summary>True when <paramref name="value"/> is a tagged slot; the slot is not checked against any program.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryDecode(ulong value, out int slot)
    {
        if ((value & TagMask) == Tag && (value & ~TagMask) <= int.MaxValue)
        {
            slot = (int)(value & ~TagMask);
            return true;
        }

        slot = -1;
        return false;
    }
}

using System.Runtime.CompilerServices;

namespace SharpBpf.Execution;

/// <summary>
/// BPF division and modulo, the one home of their rules for both engines (the interpreter calls them, the JIT emits
/// calls to them when the divisor is only known at run time): RFC 9669's results where .NET would throw: x/0 = 0,
/// x%0 = x (32-bit: its low half, zero-extended), INT_MIN/-1 = INT_MIN, x%-1 = 0. Inputs and results are register values.
/// </summary>
internal static class Division
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Div64(ulong a, ulong b) => b == 0 ? 0 : a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mod64(ulong a, ulong b) => b == 0 ? a : a % b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Sdiv64(ulong a, ulong b)
    {
        if (b == 0)
        {
            return 0;
        }

        // Negation wraps, so INT_MIN / -1 stays INT_MIN where .NET's division would overflow.
        return b == ulong.MaxValue ? 0UL - a : (ulong)((long)a / (long)b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Smod64(ulong a, ulong b)
    {
        if (b == 0)
        {
            return a;
        }

        return b == ulong.MaxValue ? 0 : (ulong)((long)a % (long)b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Div32(uint a, uint b) => b == 0 ? 0 : a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mod32(uint a, uint b) => b == 0 ? a : a % b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Sdiv32(uint a, uint b)
    {
        if (b == 0)
        {
            return 0;
        }

        return b == uint.MaxValue ? 0U - a : (uint)((int)a / (int)b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Smod32(uint a, uint b)
    {
        if (b == 0)
        {
            return a;
        }

        return b == uint.MaxValue ? 0 : (uint)((int)a % (int)b);
    }
}

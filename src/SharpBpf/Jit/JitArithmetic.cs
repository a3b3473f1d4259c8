using System.Runtime.CompilerServices;

namespace SharpBpf.Jit;

/// <summary>
/// The divisions compiled code calls when the divisor is only known at run time, with RFC 9669's results where .NET
/// would throw: x/0 = 0, x%0 = x (32-bit: its low half), INT_MIN/-1 = INT_MIN, x%-1 = 0. Constant divisors other than
/// 0 and -1 are emitted as plain IL <c>div</c>/<c>rem</c> instead.
/// </summary>
internal static class JitArithmetic
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

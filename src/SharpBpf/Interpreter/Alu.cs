using System.Runtime.CompilerServices;

namespace SharpBpf.Interpreter;

/// <summary>
/// Division and modulo with the results RFC 9669 defines where .NET would throw: x/0 = 0, x%0 = x (the 32-bit forms
/// zero-extend the low half), INT_MIN/-1 = INT_MIN, INT_MIN%-1 = 0. Inputs and results are register values.
/// </summary>
internal static class Alu
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Div64(ulong a, ulong b) => b == 0 ? 0 : a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mod64(ulong a, ulong b) => b == 0 ? a : a % b;

    public static ulong Sdiv64(ulong a, ulong b) => (long)b switch
    {
        0 => 0,
        -1 => 0UL - a,
        _ => (ulong)((long)a / (long)b),
    };

    public static ulong Smod64(ulong a, ulong b) => (long)b switch
    {
        0 => a,
        -1 => 0,
        _ => (ulong)((long)a % (long)b),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Div32(uint a, uint b) => b == 0 ? 0 : a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mod32(uint a, uint b) => b == 0 ? a : a % b;

    public static ulong Sdiv32(uint a, uint b) => (int)b switch
    {
        0 => 0,
        -1 => 0U - a,
        _ => (uint)((int)a / (int)b),
    };

    public static ulong Smod32(uint a, uint b) => (int)b switch
    {
        0 => a,
        -1 => 0,
        _ => (uint)((int)a % (int)b),
    };
}

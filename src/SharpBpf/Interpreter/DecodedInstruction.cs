using System.Runtime.InteropServices;

namespace SharpBpf.Interpreter;

/// <summary>
/// One slot as the interpreter's loop wants it (16 bytes): the dense <see cref="Op"/>, registers, and operands
/// already widened the way the operation reads them.
/// </summary>
/// <remarks>
/// <see cref="Target"/>: for jumps the distance to the target (target - this slot), for local calls the absolute
/// target slot, for helper calls the index into the call-site helper table.
/// <see cref="Imm"/>: the immediate sign-extended (64-bit operations) or zero-extended (32-bit operations), the
/// 64-bit constant of lddw, the memory offset sign-extended for loads, stores and atomics (whose stored immediate
/// then sits in <see cref="Target"/>), the packet offset for ldabs/ldind, the id for helper and kfunc calls.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
internal struct DecodedInstruction
{
    public Op Op;
    public byte Dst;
    public byte Src;
    private readonly byte _padding;
    public int Target;
    public ulong Imm;
}

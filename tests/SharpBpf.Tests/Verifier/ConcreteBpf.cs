using SharpBpf.Isa;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// What the BPF ISA computes on concrete register values (RFC 9669), written here in plain C# so the scalar-domain
/// properties have an oracle that shares no code with the verifier's <c>ScalarArithmetic</c>.
/// </summary>
internal static class ConcreteBpf
{
    /// <summary>dst = dst op src; a 32-bit operation works on the low halves and zero-extends its result.
    /// <paramref name="signed"/> selects sdiv/smod (offset 1).</summary>
    public static ulong Alu(AluOperation op, bool is64, bool signed, ulong dst, ulong src) =>
        is64 ? Alu64(op, signed, dst, src) : Alu32(op, signed, (uint)dst, (uint)src);

    private static ulong Alu64(AluOperation op, bool signed, ulong dst, ulong src)
    {
        long sdst = (long)dst, ssrc = (long)src;
        switch (op)
        {
            case AluOperation.Add: return unchecked(dst + src);
            case AluOperation.Sub: return unchecked(dst - src);
            case AluOperation.Mul: return unchecked(dst * src);
            case AluOperation.Or: return dst | src;
            case AluOperation.And: return dst & src;
            case AluOperation.Xor: return dst ^ src;
            case AluOperation.Mov: return src;
            case AluOperation.Neg: return unchecked(0 - dst);
            // Shift amounts are masked to the operand width.
            case AluOperation.Lsh: return dst << (int)(src % 64);
            case AluOperation.Rsh: return dst >> (int)(src % 64);
            case AluOperation.Arsh: return (ulong)(sdst >> (int)(src % 64));
            // Division by zero gives 0; modulo by zero leaves dst. LLONG_MIN / -1 wraps to LLONG_MIN; x % -1 is 0.
            case AluOperation.Div when src == 0: return 0;
            case AluOperation.Mod when src == 0: return dst;
            case AluOperation.Div when signed: return ssrc == -1 ? unchecked(0 - dst) : (ulong)(sdst / ssrc);
            case AluOperation.Mod when signed: return ssrc == -1 ? 0 : (ulong)(sdst % ssrc);
            case AluOperation.Div: return dst / src;
            case AluOperation.Mod: return dst % src;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "not an ALU operation on two registers");
        }
    }

    private static ulong Alu32(AluOperation op, bool signed, uint dst, uint src)
    {
        int sdst = (int)dst, ssrc = (int)src;
        uint result = op switch
        {
            AluOperation.Add => unchecked(dst + src),
            AluOperation.Sub => unchecked(dst - src),
            AluOperation.Mul => unchecked(dst * src),
            AluOperation.Or => dst | src,
            AluOperation.And => dst & src,
            AluOperation.Xor => dst ^ src,
            AluOperation.Mov => src,
            AluOperation.Neg => unchecked(0 - dst),
            AluOperation.Lsh => dst << (int)(src % 32),
            AluOperation.Rsh => dst >> (int)(src % 32),
            AluOperation.Arsh => (uint)(sdst >> (int)(src % 32)),
            AluOperation.Div when src == 0 => 0,
            AluOperation.Mod when src == 0 => dst,
            AluOperation.Div when signed => ssrc == -1 ? unchecked(0 - dst) : (uint)(sdst / ssrc),
            AluOperation.Mod when signed => ssrc == -1 ? 0 : (uint)(sdst % ssrc),
            AluOperation.Div => dst / src,
            AluOperation.Mod => dst % src,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not an ALU operation on two registers"),
        };
        return result; // zero-extended
    }

    /// <summary>Whether "a op b" holds; a JMP32 compares only the low halves.</summary>
    public static bool Compare(JumpOperation op, bool is32, ulong a, ulong b)
    {
        if (is32)
        {
            uint ua = (uint)a, ub = (uint)b;
            int sa = (int)ua, sb = (int)ub;
            return Outcome(op, ua.CompareTo(ub), sa.CompareTo(sb), (ua & ub) != 0);
        }

        return Outcome(op, a.CompareTo(b), ((long)a).CompareTo((long)b), (a & b) != 0);
    }

    private static bool Outcome(JumpOperation op, int unsignedOrder, int signedOrder, bool anyCommonBit) => op switch
    {
        JumpOperation.Jeq => unsignedOrder == 0,
        JumpOperation.Jne => unsignedOrder != 0,
        JumpOperation.Jgt => unsignedOrder > 0,
        JumpOperation.Jge => unsignedOrder >= 0,
        JumpOperation.Jlt => unsignedOrder < 0,
        JumpOperation.Jle => unsignedOrder <= 0,
        JumpOperation.Jsgt => signedOrder > 0,
        JumpOperation.Jsge => signedOrder >= 0,
        JumpOperation.Jslt => signedOrder < 0,
        JumpOperation.Jsle => signedOrder <= 0,
        JumpOperation.Jset => anyCommonBit,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not a conditional jump"),
    };
}

using SharpBpf.Isa;

namespace SharpBpf.Verifier;

/// <summary>
/// Conditional jumps between two scalars: whether each side is possible given their bounds, and the tighter bounds
/// each side implies (so a later access or return check sees them, as in the kernel's reg_set_min_max).
/// </summary>
internal static class BranchRefinement
{
    public static (bool Take, bool Fall) Refine(JumpOperation op, bool is32, ScalarRange left, ScalarRange right,
        int leftRegister, int rightRegister, VerifierState taken, VerifierState fall)
    {
        if (is32)
        {
            // Only values that already fit in 32 bits compare the same way at both widths.
            bool signedOp = op is JumpOperation.Jsgt or JumpOperation.Jsge or JumpOperation.Jslt or JumpOperation.Jsle;
            if (!left.FitsIn32Bits || !right.FitsIn32Bits || (signedOp && (left.UMax > int.MaxValue || right.UMax > int.MaxValue)))
            {
                if (left.IsConstant && right.IsConstant)
                {
                    bool result = Holds(op, (uint)left.Value, (uint)right.Value, is32: true);
                    return (result, !result);
                }

                return DecideByLowHalves(op, signedOp, left, right);
            }
        }

        var (takeLeft, takeRight) = Constrain(op, left, right);
        var (fallLeft, fallRight) = Constrain(Negate(op), left, right);
        bool canTake = !takeLeft.IsEmpty && !takeRight.IsEmpty;
        bool canFall = !fallLeft.IsEmpty && !fallRight.IsEmpty;
        if (canTake)
        {
            Apply(taken, leftRegister, takeLeft);
            Apply(taken, rightRegister, takeRight);
        }

        if (canFall)
        {
            Apply(fall, leftRegister, fallLeft);
            Apply(fall, rightRegister, fallRight);
        }

        return (canTake, canFall);
    }

    /// <summary>
    /// A JMP32 on a register wider than 32 bits compares the low halves, known only through the known bits: a side is
    /// impossible when it is for every pair of low halves they allow; neither register is refined.
    /// </summary>
    private static (bool Take, bool Fall) DecideByLowHalves(JumpOperation op, bool signedOp, ScalarRange left, ScalarRange right)
    {
        var low = (Left: left.Truncated32(), Right: right.Truncated32());
        if (signedOp && (low.Left.UMax > int.MaxValue || low.Right.UMax > int.MaxValue))
        {
            return (true, true);
        }

        var (takeLeft, takeRight) = Constrain(op, low.Left, low.Right);
        var (fallLeft, fallRight) = Constrain(Negate(op), low.Left, low.Right);
        return (!takeLeft.IsEmpty && !takeRight.IsEmpty, !fallLeft.IsEmpty && !fallRight.IsEmpty);
    }

    private static void Apply(VerifierState state, int register, ScalarRange range)
    {
        if (register >= 0)
        {
            state.Registers[register] = state.Registers[register] with { Range = range };
        }
    }

    private static bool Holds(JumpOperation op, ulong a, ulong b, bool is32) => op switch
    {
        JumpOperation.Jeq => a == b,
        JumpOperation.Jne => a != b,
        JumpOperation.Jgt => a > b,
        JumpOperation.Jge => a >= b,
        JumpOperation.Jlt => a < b,
        JumpOperation.Jle => a <= b,
        JumpOperation.Jset => (a & b) != 0,
        JumpOperation.Jsgt => is32 ? (int)a > (int)b : (long)a > (long)b,
        JumpOperation.Jsge => is32 ? (int)a >= (int)b : (long)a >= (long)b,
        JumpOperation.Jslt => is32 ? (int)a < (int)b : (long)a < (long)b,
        JumpOperation.Jsle => is32 ? (int)a <= (int)b : (long)a <= (long)b,
        _ => true,
    };

    /// <summary>The condition that holds on the fall-through side (Jset has none we can express: it stays Jset-negated).</summary>
    private static JumpOperation Negate(JumpOperation op) => op switch
    {
        JumpOperation.Jeq => JumpOperation.Jne,
        JumpOperation.Jne => JumpOperation.Jeq,
        JumpOperation.Jgt => JumpOperation.Jle,
        JumpOperation.Jle => JumpOperation.Jgt,
        JumpOperation.Jge => JumpOperation.Jlt,
        JumpOperation.Jlt => JumpOperation.Jge,
        JumpOperation.Jsgt => JumpOperation.Jsle,
        JumpOperation.Jsle => JumpOperation.Jsgt,
        JumpOperation.Jsge => JumpOperation.Jslt,
        JumpOperation.Jslt => JumpOperation.Jsge,
        _ => (JumpOperation)0xff,
    };

    /// <summary>The bounds of both operands given that "left op right" holds; an empty range means it cannot.</summary>
    private static (ScalarRange Left, ScalarRange Right) Constrain(JumpOperation op, ScalarRange a, ScalarRange b)
    {
        switch (op)
        {
            case JumpOperation.Jeq:
            {
                var both = new ScalarRange(Math.Max(a.SMin, b.SMin), Math.Min(a.SMax, b.SMax), Math.Max(a.UMin, b.UMin), Math.Min(a.UMax, b.UMax))
                {
                    KnownBits = a.KnownBits,
                };
                both = both.IsEmpty ? Empty : Sync(both.WithBits(b.KnownBits));
                return (both, both);
            }
            case JumpOperation.Jne:
                if (a.IsConstant && b.IsConstant && a.Value == b.Value)
                {
                    return (Empty, Empty);
                }

                return (ExcludeBoundary(a, b), ExcludeBoundary(b, a));
            case JumpOperation.Jgt:
                if (b.UMin == ulong.MaxValue || a.UMax == 0)
                {
                    return (Empty, Empty);
                }

                return (Sync(a with { UMin = Math.Max(a.UMin, b.UMin + 1) }), Sync(b with { UMax = Math.Min(b.UMax, a.UMax - 1) }));
            case JumpOperation.Jge:
                return (Sync(a with { UMin = Math.Max(a.UMin, b.UMin) }), Sync(b with { UMax = Math.Min(b.UMax, a.UMax) }));
            case JumpOperation.Jlt:
            {
                var (r, l) = Constrain(JumpOperation.Jgt, b, a);
                return (l, r);
            }
            case JumpOperation.Jle:
            {
                var (r, l) = Constrain(JumpOperation.Jge, b, a);
                return (l, r);
            }
            case JumpOperation.Jsgt:
                if (b.SMin == long.MaxValue || a.SMax == long.MinValue)
                {
                    return (Empty, Empty);
                }

                return (Sync(a with { SMin = Math.Max(a.SMin, b.SMin + 1) }), Sync(b with { SMax = Math.Min(b.SMax, a.SMax - 1) }));
            case JumpOperation.Jsge:
                return (Sync(a with { SMin = Math.Max(a.SMin, b.SMin) }), Sync(b with { SMax = Math.Min(b.SMax, a.SMax) }));
            case JumpOperation.Jslt:
            {
                var (r, l) = Constrain(JumpOperation.Jsgt, b, a);
                return (l, r);
            }
            case JumpOperation.Jsle:
            {
                var (r, l) = Constrain(JumpOperation.Jsge, b, a);
                return (l, r);
            }
            case JumpOperation.Jset:
                return b.IsConstant ? (BitsSet(a, b.Value), b) : a.IsConstant ? (a, BitsSet(b, a.Value)) : (a, b);
            default:
                // "Jset does not hold": every bit of the constant is clear in the other operand.
                return b.IsConstant ? (BitsClear(a, b.Value), b) : a.IsConstant ? (a, BitsClear(b, a.Value)) : (a, b);
        }
    }

    /// <summary>x &amp; mask != 0: impossible when every bit of the mask is known clear; a one-bit mask is then known set.</summary>
    private static ScalarRange BitsSet(ScalarRange x, ulong mask)
    {
        if ((x.KnownBits.Max & mask) == 0)
        {
            return Empty;
        }

        return System.Numerics.BitOperations.IsPow2(mask) ? Sync(x.WithBits(x.KnownBits | Tnum.Constant(mask))) : x;
    }

    /// <summary>x &amp; mask == 0: impossible when a bit of the mask is known set; otherwise those bits are known clear.</summary>
    private static ScalarRange BitsClear(ScalarRange x, ulong mask) =>
        (x.KnownBits.Value & mask) != 0 ? Empty : Sync(x.WithBits(x.KnownBits & Tnum.Constant(~mask)));

    private static readonly ScalarRange Empty = ScalarRange.EmptyRange;

    private static ScalarRange Sync(ScalarRange range)
    {
        if (range.IsEmpty)
        {
            return Empty;
        }

        var normalized = range.Normalized();
        return normalized.IsEmpty ? Empty : normalized;
    }

    /// <summary>x != c: when c is one of x's bounds, that bound moves inward.</summary>
    private static ScalarRange ExcludeBoundary(ScalarRange x, ScalarRange other)
    {
        if (!other.IsConstant || x.IsConstant)
        {
            return x;
        }

        ulong c = other.Value;
        if (x.UMin == c)
        {
            x = x with { UMin = c + 1 };
        }
        else if (x.UMax == c)
        {
            x = x with { UMax = c - 1 };
        }

        if (x.SMin == (long)c)
        {
            x = x with { SMin = (long)c + 1 };
        }
        else if (x.SMax == (long)c)
        {
            x = x with { SMax = (long)c - 1 };
        }

        return Sync(x);
    }
}

using SharpBpf.Isa;

namespace SharpBpf.Verifier;

/// <summary>
/// Conditional jumps between two scalars: whether each side is possible given their bounds, and the tighter bounds
/// each side implies (so a later access or return check sees them), as the kernel's is_branch_taken and
/// reg_set_min_max do. A JMP32 compares and refines the low halves' bounds (u32/s32 and the low known bits); the
/// normalization that follows carries what they learn into the 64-bit bounds where it can (reg_bounds_sync).
/// </summary>
internal static class BranchRefinement
{
    public static (bool Take, bool Fall) Refine(JumpOperation op, bool is32, ScalarRange left, ScalarRange right,
        int leftRegister, int rightRegister, VerifierState taken, VerifierState fall)
    {
        var width = is32 ? Width.Low32 : Width.Full64;
        var (leftView, rightView) = (width.View(left), width.View(right));
        var (takeLeft, takeRight) = Constrain(op, width, leftView, rightView);
        var (fallLeft, fallRight) = Constrain(Negate(op), width, leftView, rightView);
        (takeLeft, takeRight) = (width.Back(left, takeLeft), width.Back(right, takeRight));
        (fallLeft, fallRight) = (width.Back(left, fallLeft), width.Back(right, fallRight));
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
    /// The bounds a comparison of one width sees, as a range whose 64-bit fields hold them (for 32 bits: the u32 and
    /// s32 bounds, sign-extended, and the low known bits), with that width's extremes; never normalized as a 64-bit
    /// value, only written back into the register's own fields.
    /// </summary>
    private sealed record Width(ulong UnsignedMax, long SignedMin, long SignedMax)
    {
        public static Width Full64 { get; } = new(ulong.MaxValue, long.MinValue, long.MaxValue);

        public static Width Low32 { get; } = new(uint.MaxValue, int.MinValue, int.MaxValue);

        private bool Is32 => UnsignedMax == uint.MaxValue;

        public ScalarRange View(ScalarRange range) => Is32
            ? new ScalarRange(range.S32Min, range.S32Max, range.U32Min, range.U32Max) { KnownBits = range.KnownBits.Cast(4) }
            : range;

        public ScalarRange Back(ScalarRange range, ScalarRange view)
        {
            ulong compared = Is32 ? 0xffff_ffffUL : ulong.MaxValue;
            if (view.IsEmpty || ((view.KnownBits.Value ^ range.KnownBits.Value) & ~view.KnownBits.Mask & ~range.KnownBits.Mask & compared) != 0)
            {
                return Empty;
            }

            if (!Is32)
            {
                return Sync(view);
            }

            var high = range.KnownBits;
            var bits = new Tnum((high.Value & ~0xffff_ffffUL) | view.KnownBits.Value, (high.Mask & ~0xffff_ffffUL) | view.KnownBits.Mask);
            return Sync(range with
            {
                S32Min = (int)view.SMin,
                S32Max = (int)view.SMax,
                U32Min = (uint)view.UMin,
                U32Max = (uint)view.UMax,
                KnownBits = bits,
            });
        }
    }

    private static void Apply(VerifierState state, int register, ScalarRange range)
    {
        if (register >= 0)
        {
            state.Registers[register] = state.Registers[register] with { Range = range };
        }
    }

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
    private static (ScalarRange Left, ScalarRange Right) Constrain(JumpOperation op, Width width, ScalarRange a, ScalarRange b)
    {
        switch (op)
        {
            case JumpOperation.Jeq:
            {
                if (((a.KnownBits.Value ^ b.KnownBits.Value) & ~a.KnownBits.Mask & ~b.KnownBits.Mask) != 0)
                {
                    return (Empty, Empty);
                }

                var both = new ScalarRange(Math.Max(a.SMin, b.SMin), Math.Min(a.SMax, b.SMax), Math.Max(a.UMin, b.UMin), Math.Min(a.UMax, b.UMax))
                {
                    KnownBits = a.KnownBits.Intersect(b.KnownBits),
                };
                return (both, both);
            }
            case JumpOperation.Jne:
                if (a.KnownBits.IsConstant && b.KnownBits.IsConstant && a.KnownBits.Value == b.KnownBits.Value)
                {
                    return (Empty, Empty);
                }

                return (ExcludeBoundary(width, a, b), ExcludeBoundary(width, b, a));
            case JumpOperation.Jgt:
                if (b.UMin == width.UnsignedMax || a.UMax == 0)
                {
                    return (Empty, Empty);
                }

                return (a with { UMin = Math.Max(a.UMin, b.UMin + 1) }, b with { UMax = Math.Min(b.UMax, a.UMax - 1) });
            case JumpOperation.Jge:
                return (a with { UMin = Math.Max(a.UMin, b.UMin) }, b with { UMax = Math.Min(b.UMax, a.UMax) });
            case JumpOperation.Jlt:
            {
                var (r, l) = Constrain(JumpOperation.Jgt, width, b, a);
                return (l, r);
            }
            case JumpOperation.Jle:
            {
                var (r, l) = Constrain(JumpOperation.Jge, width, b, a);
                return (l, r);
            }
            case JumpOperation.Jsgt:
                if (b.SMin == width.SignedMax || a.SMax == width.SignedMin)
                {
                    return (Empty, Empty);
                }

                return (a with { SMin = Math.Max(a.SMin, b.SMin + 1) }, b with { SMax = Math.Min(b.SMax, a.SMax - 1) });
            case JumpOperation.Jsge:
                return (a with { SMin = Math.Max(a.SMin, b.SMin) }, b with { SMax = Math.Min(b.SMax, a.SMax) });
            case JumpOperation.Jslt:
            {
                var (r, l) = Constrain(JumpOperation.Jsgt, width, b, a);
                return (l, r);
            }
            case JumpOperation.Jsle:
            {
                var (r, l) = Constrain(JumpOperation.Jsge, width, b, a);
                return (l, r);
            }
            case JumpOperation.Jset:
                return b.KnownBits.IsConstant ? (BitsSet(a, b.KnownBits.Value), b) : a.KnownBits.IsConstant ? (a, BitsSet(b, a.KnownBits.Value)) : (a, b);
            default:
                // "Jset does not hold": every bit of the constant is clear in the other operand.
                return b.KnownBits.IsConstant ? (BitsClear(a, b.KnownBits.Value), b) : a.KnownBits.IsConstant ? (a, BitsClear(b, a.KnownBits.Value)) : (a, b);
        }
    }

    /// <summary>x &amp; mask != 0: impossible when every bit of the mask is known clear; a one-bit mask is then known set.</summary>
    private static ScalarRange BitsSet(ScalarRange x, ulong mask)
    {
        if ((x.KnownBits.Max & mask) == 0)
        {
            return Empty;
        }

        return System.Numerics.BitOperations.IsPow2(mask) ? x with { KnownBits = x.KnownBits | Tnum.Constant(mask) } : x;
    }

    /// <summary>x &amp; mask == 0: impossible when a bit of the mask is known set; otherwise those bits are known clear.</summary>
    private static ScalarRange BitsClear(ScalarRange x, ulong mask) =>
        (x.KnownBits.Value & mask) != 0 ? Empty : x with { KnownBits = x.KnownBits & Tnum.Constant(~mask) };

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
    private static ScalarRange ExcludeBoundary(Width width, ScalarRange x, ScalarRange other)
    {
        if (!other.KnownBits.IsConstant || x.KnownBits.IsConstant)
        {
            return x;
        }

        ulong c = other.KnownBits.Value;
        long signedC = width.SignedMax == int.MaxValue ? (int)(uint)c : (long)c;
        if (x.UMin == c)
        {
            x = x with { UMin = c + 1 };
        }
        else if (x.UMax == c)
        {
            x = x with { UMax = c - 1 };
        }

        if (x.SMin == signedC)
        {
            x = x with { SMin = signedC + 1 };
        }
        else if (x.SMax == signedC)
        {
            x = x with { SMax = signedC - 1 };
        }

        return x;
    }
}

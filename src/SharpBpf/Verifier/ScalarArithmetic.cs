using SharpBpf.Isa;

namespace SharpBpf.Verifier;

/// <summary>
/// The ALU's effect on what is known of a scalar. Two constants give the exact result (with the ISA's rules for
/// division by zero and shifts); otherwise the bounds are what can be proven without overflow, else unbounded, and
/// the known bits are the tnum of the operation on the operands' known bits (the kernel computes both, then lets each
/// tighten the other).
/// </summary>
internal static class ScalarArithmetic
{
    public static ScalarRange Apply(AluOperation op, bool is64, bool signed, ScalarRange dst, ScalarRange src)
    {
        if (dst.IsConstant && src.IsConstant)
        {
            return ScalarRange.Constant(is64 ? Exact64(op, signed, dst.Value, src.Value) : Exact32(op, signed, (uint)dst.Value, (uint)src.Value));
        }

        if (!is64)
        {
            var low = (Dst: dst.KnownBits.Cast(4), Src: src.KnownBits.Cast(4));
            var bounds = signed && op is AluOperation.Div or AluOperation.Mod
                ? ScalarRange.Bits(32)
                : Apply32(op, dst.Truncated32(), src.Truncated32());
            return bounds.WithBits(KnownBits(op, low.Dst, low.Src, src, 32).Cast(4));
        }

        return Bounds64(op, signed, dst, src).WithBits(KnownBits(op, dst.KnownBits, src.KnownBits, src, 64));
    }

    /// <summary>The tnum of the result (the kernel's tnum_add, tnum_and, …); operations it has none for know nothing.</summary>
    private static Tnum KnownBits(AluOperation op, Tnum dst, Tnum src, ScalarRange shift, int bits) => op switch
    {
        AluOperation.Add => dst + src,
        AluOperation.Sub => dst - src,
        AluOperation.Mul => dst * src,
        AluOperation.And => dst & src,
        AluOperation.Or => dst | src,
        AluOperation.Xor => dst ^ src,
        AluOperation.Mov => src,
        AluOperation.Lsh when shift.IsConstant => dst.ShiftLeft((int)(shift.Value & (ulong)(bits - 1))),
        AluOperation.Rsh when shift.IsConstant => dst.ShiftRight((int)(shift.Value & (ulong)(bits - 1))),
        AluOperation.Arsh when shift.IsConstant => dst.ShiftRightArithmetic((int)(shift.Value & (ulong)(bits - 1)), bits),
        _ => Tnum.Unknown,
    };

    private static ScalarRange Bounds64(AluOperation op, bool signed, ScalarRange dst, ScalarRange src)
    {
        return op switch
        {
            AluOperation.Add => Add(dst, src),
            AluOperation.Sub => Sub(dst, src),
            AluOperation.Mul => Mul(dst, src),
            AluOperation.Div when !signed && src.IsConstant && src.Value != 0 => ScalarRange.Unsigned(dst.UMin / src.Value, dst.UMax / src.Value),
            AluOperation.Mod when !signed && src.IsConstant && src.Value != 0 => dst.UMax < src.Value ? dst : ScalarRange.Unsigned(0, src.Value - 1),
            AluOperation.And => And(dst, src),
            AluOperation.Or or AluOperation.Xor => OrXor(dst, src),
            AluOperation.Lsh when src.IsConstant => ShiftLeft(dst, (int)(src.Value & 63)),
            AluOperation.Rsh when src.IsConstant => ScalarRange.Unsigned(dst.UMin >> (int)(src.Value & 63), dst.UMax >> (int)(src.Value & 63)),
            AluOperation.Rsh => ScalarRange.Unsigned(0, dst.UMax),
            AluOperation.Arsh when src.IsConstant => ScalarRange.Signed(dst.SMin >> (int)(src.Value & 63), dst.SMax >> (int)(src.Value & 63)),
            AluOperation.Mov => src,
            _ => ScalarRange.Unbounded,
        };
    }

    /// <summary>movsx: a signed value of <paramref name="bits"/> bits, extended to 64 (or 32, zero-extended) bits.</summary>
    public static ScalarRange SignExtend(ScalarRange src, int bits, bool is64)
    {
        if (src.IsConstant)
        {
            long value = bits switch { 8 => (sbyte)src.Value, 16 => (short)src.Value, _ => (int)src.Value };
            return ScalarRange.Constant(is64 ? (ulong)value : (uint)value);
        }

        long half = 1L << (bits - 1);
        if (src.UMax < (ulong)half)
        {
            return src;
        }

        return is64 ? ScalarRange.Signed(-half, half - 1) : ScalarRange.Bits(32);
    }

    public static ScalarRange ByteSwap(ScalarRange value, bool toBigEndian, int bits)
    {
        if (value.IsConstant)
        {
            ulong v = value.Value;
            ulong swapped = !toBigEndian ? (bits == 64 ? v : v & ((1UL << bits) - 1)) : bits switch
            {
                16 => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)v),
                32 => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)v),
                _ => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v),
            };
            return ScalarRange.Constant(swapped);
        }

        if (!toBigEndian && value.UMax < (bits == 64 ? ulong.MaxValue : 1UL << bits))
        {
            return value;
        }

        return ScalarRange.Bits(bits);
    }

    private static ScalarRange Apply32(AluOperation op, ScalarRange dst, ScalarRange src) => op switch
    {
        AluOperation.Mov => src,
        AluOperation.And => ScalarRange.Unsigned(0, Math.Min(dst.UMax, src.UMax)),
        AluOperation.Rsh when src.IsConstant => ScalarRange.Unsigned(dst.UMin >> (int)(src.Value & 31), dst.UMax >> (int)(src.Value & 31)),
        AluOperation.Rsh => ScalarRange.Unsigned(0, dst.UMax),
        AluOperation.Add when dst.UMax + src.UMax <= uint.MaxValue => ScalarRange.Unsigned(dst.UMin + src.UMin, dst.UMax + src.UMax),
        AluOperation.Div when src.IsConstant && src.Value != 0 => ScalarRange.Unsigned(dst.UMin / src.Value, dst.UMax / src.Value),
        AluOperation.Mod when src.IsConstant && src.Value != 0 => dst.UMax < src.Value ? dst : ScalarRange.Unsigned(0, src.Value - 1),
        AluOperation.Lsh when src.IsConstant && dst.UMax <= uint.MaxValue >> (int)(src.Value & 31) =>
            ScalarRange.Unsigned(dst.UMin << (int)(src.Value & 31), dst.UMax << (int)(src.Value & 31)),
        AluOperation.Or or AluOperation.Xor => OrXor(dst, src),
        _ => ScalarRange.Bits(32),
    };

    private static ScalarRange Add(ScalarRange a, ScalarRange b)
    {
        long smin = a.SMin + b.SMin, smax = a.SMax + b.SMax;
        bool signedOverflow = ((a.SMin ^ smin) & (b.SMin ^ smin)) < 0 || ((a.SMax ^ smax) & (b.SMax ^ smax)) < 0;
        ulong umin = a.UMin + b.UMin, umax = a.UMax + b.UMax;
        bool unsignedOverflow = umin < a.UMin || umax < a.UMax;
        return new ScalarRange(
            signedOverflow ? long.MinValue : smin, signedOverflow ? long.MaxValue : smax,
            unsignedOverflow ? 0 : umin, unsignedOverflow ? ulong.MaxValue : umax).Normalized();
    }

    private static ScalarRange Sub(ScalarRange a, ScalarRange b)
    {
        long smin = a.SMin - b.SMax, smax = a.SMax - b.SMin;
        bool signedOverflow = ((a.SMin ^ b.SMax) & (a.SMin ^ smin)) < 0 || ((a.SMax ^ b.SMin) & (a.SMax ^ smax)) < 0;
        bool unsignedUnderflow = a.UMin < b.UMax;
        return new ScalarRange(
            signedOverflow ? long.MinValue : smin, signedOverflow ? long.MaxValue : smax,
            unsignedUnderflow ? 0 : a.UMin - b.UMax, unsignedUnderflow ? ulong.MaxValue : a.UMax - b.UMin).Normalized();
    }

    private static ScalarRange Mul(ScalarRange a, ScalarRange b)
    {
        if (a.UMax <= uint.MaxValue && b.UMax <= uint.MaxValue)
        {
            return ScalarRange.Unsigned(a.UMin * b.UMin, a.UMax * b.UMax);
        }

        return ScalarRange.Unbounded;
    }

    private static ScalarRange And(ScalarRange a, ScalarRange b)
    {
        // A non-negative mask bounds the result whatever the other side is.
        ulong max = Math.Min(a.SMin >= 0 ? a.UMax : ulong.MaxValue, b.SMin >= 0 ? b.UMax : ulong.MaxValue);
        max = Math.Min(max, Math.Min(a.UMax, b.UMax));
        return ScalarRange.Unsigned(0, max);
    }

    private static ScalarRange OrXor(ScalarRange a, ScalarRange b)
    {
        ulong widest = Math.Max(a.UMax, b.UMax);
        if (widest == ulong.MaxValue)
        {
            return ScalarRange.Unbounded;
        }

        int bits = 64 - System.Numerics.BitOperations.LeadingZeroCount(widest);
        return ScalarRange.Bits(bits);
    }

    private static ScalarRange ShiftLeft(ScalarRange a, int shift)
    {
        if (shift == 0)
        {
            return a;
        }

        return a.UMax <= ulong.MaxValue >> shift ? ScalarRange.Unsigned(a.UMin << shift, a.UMax << shift) : ScalarRange.Unbounded;
    }

    private static ulong Exact64(AluOperation op, bool signed, ulong dst, ulong src) => op switch
    {
        AluOperation.Add => dst + src,
        AluOperation.Sub => dst - src,
        AluOperation.Mul => dst * src,
        AluOperation.Div when signed => src == 0 ? 0 : (long)src == -1 ? (ulong)-(long)dst : (ulong)((long)dst / (long)src),
        AluOperation.Div => src == 0 ? 0 : dst / src,
        AluOperation.Mod when signed => src == 0 ? dst : (long)src == -1 ? 0 : (ulong)((long)dst % (long)src),
        AluOperation.Mod => src == 0 ? dst : dst % src,
        AluOperation.Or => dst | src,
        AluOperation.And => dst & src,
        AluOperation.Xor => dst ^ src,
        AluOperation.Lsh => dst << (int)(src & 63),
        AluOperation.Rsh => dst >> (int)(src & 63),
        AluOperation.Arsh => (ulong)((long)dst >> (int)(src & 63)),
        AluOperation.Mov => src,
        AluOperation.Neg => (ulong)-(long)dst,
        _ => dst,
    };

    private static uint Exact32(AluOperation op, bool signed, uint dst, uint src) => op switch
    {
        AluOperation.Add => dst + src,
        AluOperation.Sub => dst - src,
        AluOperation.Mul => dst * src,
        AluOperation.Div when signed => src == 0 ? 0 : (int)src == -1 ? (uint)-(int)dst : (uint)((int)dst / (int)src),
        AluOperation.Div => src == 0 ? 0 : dst / src,
        AluOperation.Mod when signed => src == 0 ? dst : (int)src == -1 ? 0 : (uint)((int)dst % (int)src),
        AluOperation.Mod => src == 0 ? dst : dst % src,
        AluOperation.Or => dst | src,
        AluOperation.And => dst & src,
        AluOperation.Xor => dst ^ src,
        AluOperation.Lsh => dst << (int)(src & 31),
        AluOperation.Rsh => dst >> (int)(src & 31),
        AluOperation.Arsh => (uint)((int)dst >> (int)(src & 31)),
        AluOperation.Mov => src,
        AluOperation.Neg => (uint)-(int)dst,
        _ => dst,
    };
}

using SharpBpf.Isa;

namespace SharpBpf.Verifier;

/// <summary>
/// The ALU's effect on what is known of a scalar, as Linux 6.18's adjust_scalar_min_max_vals computes it: add, sub,
/// mul, and, or and xor compute the 32-bit and the 64-bit bounds side by side (overflow makes a bound unbounded), and
/// the known bits as the tnum of the operation; shifts by a constant below the width compute the bounds of their
/// width; every other operation (division, modulo, a shift by an unknown or too wide amount) gives an unknown
/// 64-bit scalar. A 32-bit operation then zero-extends its 32-bit result, and every result is normalized (the
/// kernel's reg_bounds_sync).
/// </summary>
internal static class ScalarArithmetic
{
    public static ScalarRange Apply(AluOperation op, bool is64, ScalarRange dst, ScalarRange src)
    {
        if (op == AluOperation.Mov)
        {
            return is64 ? src : src.Truncated32();
        }

        if (!IsSafeToCompute(op, is64, src))
        {
            return ScalarRange.Unbounded;
        }

        if (dst.IsConstant && src.IsConstant)
        {
            return ScalarRange.Constant(is64 ? Exact64(op, dst.Value, src.Value) : Exact32(op, (uint)dst.Value, (uint)src.Value));
        }

        var result = op switch
        {
            AluOperation.Add => Add(dst, src),
            AluOperation.Sub => Sub(dst, src),
            AluOperation.Mul => Mul(dst, src),
            AluOperation.And => And(dst, src),
            AluOperation.Or => Or(dst, src),
            AluOperation.Xor => Xor(dst, src),
            AluOperation.Lsh => is64 ? ShiftLeft64(dst, (int)src.Value) : ShiftLeft32(dst, (int)src.U32Min),
            AluOperation.Rsh => is64 ? ShiftRight64(dst, (int)src.Value) : ShiftRight32(dst, (int)src.U32Min),
            _ => is64 ? ArithmeticShiftRight64(dst, (int)src.Value) : ArithmeticShiftRight32(dst, (int)src.U32Min),
        };
        return is64 ? result.Normalized() : result.Truncated32();
    }

    /// <summary>The kernel's is_safe_to_compute_dst_reg_range: which operations have bounds at all.</summary>
    private static bool IsSafeToCompute(AluOperation op, bool is64, ScalarRange src) => op switch
    {
        AluOperation.Add or AluOperation.Sub or AluOperation.Mul or AluOperation.And or AluOperation.Or or AluOperation.Xor => true,
        AluOperation.Lsh or AluOperation.Rsh or AluOperation.Arsh =>
            (is64 ? src.IsConstant : src.IsConstant32 && src.KnownBits.Cast(4).IsConstant) && src.UMax < (is64 ? 64UL : 32UL),
        _ => false,
    };

    private static ScalarRange Add(ScalarRange a, ScalarRange b)
    {
        long smin = a.SMin + b.SMin, smax = a.SMax + b.SMax;
        bool signedOverflow = AddOverflows(a.SMin, b.SMin, smin) || AddOverflows(a.SMax, b.SMax, smax);
        int s32min = a.S32Min + b.S32Min, s32max = a.S32Max + b.S32Max;
        bool signed32Overflow = AddOverflows(a.S32Min, b.S32Min, s32min) || AddOverflows(a.S32Max, b.S32Max, s32max);
        // Every sum or none wraps: the wrapped bounds still hold; only some wrapping loses them.
        ulong umin = a.UMin + b.UMin, umax = a.UMax + b.UMax;
        bool unsignedLost = umin >= a.UMin && umax < a.UMax;
        uint u32min = a.U32Min + b.U32Min, u32max = a.U32Max + b.U32Max;
        bool unsigned32Lost = u32min >= a.U32Min && u32max < a.U32Max;
        return new ScalarRange(
            signedOverflow ? long.MinValue : smin, signedOverflow ? long.MaxValue : smax,
            unsignedLost ? 0 : umin, unsignedLost ? ulong.MaxValue : umax)
        {
            S32Min = signed32Overflow ? int.MinValue : s32min,
            S32Max = signed32Overflow ? int.MaxValue : s32max,
            U32Min = unsigned32Lost ? 0 : u32min,
            U32Max = unsigned32Lost ? uint.MaxValue : u32max,
            KnownBits = a.KnownBits + b.KnownBits,
        };
    }

    private static ScalarRange Sub(ScalarRange a, ScalarRange b)
    {
        long smin = a.SMin - b.SMax, smax = a.SMax - b.SMin;
        bool signedOverflow = SubOverflows(a.SMin, b.SMax, smin) || SubOverflows(a.SMax, b.SMin, smax);
        int s32min = a.S32Min - b.S32Max, s32max = a.S32Max - b.S32Min;
        bool signed32Overflow = SubOverflows(a.S32Min, b.S32Max, s32min) || SubOverflows(a.S32Max, b.S32Min, s32max);
        // As for add: every difference or none wraps below zero.
        bool unsignedLost = a.UMin < b.UMax && a.UMax >= b.UMin;
        bool unsigned32Lost = a.U32Min < b.U32Max && a.U32Max >= b.U32Min;
        return new ScalarRange(
            signedOverflow ? long.MinValue : smin, signedOverflow ? long.MaxValue : smax,
            unsignedLost ? 0 : a.UMin - b.UMax, unsignedLost ? ulong.MaxValue : a.UMax - b.UMin)
        {
            S32Min = signed32Overflow ? int.MinValue : s32min,
            S32Max = signed32Overflow ? int.MaxValue : s32max,
            U32Min = unsigned32Lost ? 0 : a.U32Min - b.U32Max,
            U32Max = unsigned32Lost ? uint.MaxValue : a.U32Max - b.U32Min,
            KnownBits = a.KnownBits - b.KnownBits,
        };
    }

    private static bool AddOverflows(long a, long b, long sum) => ((a ^ sum) & (b ^ sum)) < 0;

    private static bool AddOverflows(int a, int b, int sum) => ((a ^ sum) & (b ^ sum)) < 0;

    private static bool SubOverflows(long a, long b, long difference) => ((a ^ b) & (a ^ difference)) < 0;

    private static bool SubOverflows(int a, int b, int difference) => ((a ^ b) & (a ^ difference)) < 0;

    /// <summary>Unsigned: the products of the minima and of the maxima, unless one overflows; signed: the four corner products.</summary>
    private static ScalarRange Mul(ScalarRange a, ScalarRange b)
    {
        var r = new ScalarRange(long.MinValue, long.MaxValue, 0, ulong.MaxValue) { KnownBits = a.KnownBits * b.KnownBits };
        UInt128 umax = (UInt128)a.UMax * b.UMax;
        if (umax <= ulong.MaxValue)
        {
            r = r with { UMin = a.UMin * b.UMin, UMax = (ulong)umax };
        }

        Int128[] corners = [(Int128)a.SMin * b.SMin, (Int128)a.SMin * b.SMax, (Int128)a.SMax * b.SMin, (Int128)a.SMax * b.SMax];
        if (corners.All(c => c >= long.MinValue && c <= long.MaxValue))
        {
            r = r with { SMin = (long)corners.Min(), SMax = (long)corners.Max() };
        }

        ulong u32max = (ulong)a.U32Max * b.U32Max;
        if (u32max <= uint.MaxValue)
        {
            r = r with { U32Min = a.U32Min * b.U32Min, U32Max = (uint)u32max };
        }

        long[] corners32 = [(long)a.S32Min * b.S32Min, (long)a.S32Min * b.S32Max, (long)a.S32Max * b.S32Min, (long)a.S32Max * b.S32Max];
        if (corners32.All(c => c >= int.MinValue && c <= int.MaxValue))
        {
            r = r with { S32Min = (int)corners32.Min(), S32Max = (int)corners32.Max() };
        }

        return r;
    }

    /// <summary>The minimum comes from the known bits, the maximum is the smaller operand's; signed only without a sign change.</summary>
    private static ScalarRange And(ScalarRange a, ScalarRange b)
    {
        var bits = a.KnownBits & b.KnownBits;
        return WithSignedFromUnsigned(bits, bits.Min, Math.Min(a.UMax, b.UMax), (uint)bits.Min, Math.Min(a.U32Max, b.U32Max));
    }

    private static ScalarRange Or(ScalarRange a, ScalarRange b)
    {
        var bits = a.KnownBits | b.KnownBits;
        return WithSignedFromUnsigned(bits, Math.Max(a.UMin, b.UMin), bits.Max, Math.Max(a.U32Min, b.U32Min), (uint)bits.Max);
    }

    private static ScalarRange Xor(ScalarRange a, ScalarRange b)
    {
        var bits = a.KnownBits ^ b.KnownBits;
        return WithSignedFromUnsigned(bits, bits.Min, bits.Max, (uint)bits.Min, (uint)bits.Max);
    }

    private static ScalarRange WithSignedFromUnsigned(Tnum bits, ulong umin, ulong umax, uint u32min, uint u32max)
    {
        bool signedFits = (long)umin <= (long)umax;
        bool signed32Fits = (int)u32min <= (int)u32max;
        return new ScalarRange(signedFits ? (long)umin : long.MinValue, signedFits ? (long)umax : long.MaxValue, umin, umax)
        {
            KnownBits = bits,
            U32Min = u32min,
            U32Max = u32max,
            S32Min = signed32Fits ? (int)u32min : int.MinValue,
            S32Max = signed32Fits ? (int)u32max : int.MaxValue,
        };
    }

    /// <summary>
    /// The 64-bit shift: unsigned bounds unless the top bit may be shifted out; signed ones only for the compiler's
    /// sign-extension idiom (a non-negative 32-bit value shifted by 32); 32-bit bounds unless bits leave the low half.
    /// </summary>
    private static ScalarRange ShiftLeft64(ScalarRange a, int shift)
    {
        var r = ScalarRange.Unbounded with { KnownBits = a.KnownBits.ShiftLeft(shift) };
        if (shift == 32 && a.S32Max >= 0)
        {
            r = r with { SMax = (long)a.S32Max << 32 };
        }

        if (shift == 32 && a.S32Min >= 0)
        {
            r = r with { SMin = (long)a.S32Min << 32 };
        }

        if (a.UMax <= 1UL << (63 - shift))
        {
            r = r with { UMin = a.UMin << shift, UMax = a.UMax << shift };
        }

        return ShiftLeftLow(r, a, shift);
    }

    private static ScalarRange ShiftLeft32(ScalarRange a, int shift) =>
        ShiftLeftLow(ScalarRange.Unbounded with { KnownBits = a.KnownBits.Cast(4).ShiftLeft(shift).Cast(4) }, a, shift);

    private static ScalarRange ShiftLeftLow(ScalarRange r, ScalarRange a, int shift) =>
        shift <= 31 && a.U32Max <= 1UL << (31 - shift) ? r with { U32Min = a.U32Min << shift, U32Max = a.U32Max << shift } : r;

    private static ScalarRange ShiftRight64(ScalarRange a, int shift) =>
        ScalarRange.Unbounded with { KnownBits = a.KnownBits.ShiftRight(shift), UMin = a.UMin >> shift, UMax = a.UMax >> shift };

    private static ScalarRange ShiftRight32(ScalarRange a, int shift) =>
        ScalarRange.Unbounded with { KnownBits = a.KnownBits.Cast(4).ShiftRight(shift), U32Min = a.U32Min >> shift, U32Max = a.U32Max >> shift };

    private static ScalarRange ArithmeticShiftRight64(ScalarRange a, int shift) =>
        ScalarRange.Unbounded with { KnownBits = a.KnownBits.ShiftRightArithmetic(shift, 64), SMin = a.SMin >> shift, SMax = a.SMax >> shift };

    private static ScalarRange ArithmeticShiftRight32(ScalarRange a, int shift) =>
        ScalarRange.Unbounded with { KnownBits = a.KnownBits.Cast(4).ShiftRightArithmetic(shift, 32), S32Min = a.S32Min >> shift, S32Max = a.S32Max >> shift };

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

        return is64
            ? ScalarRange.Signed(-half, half - 1)
            : (ScalarRange.Unbounded with { S32Min = (int)-half, S32Max = (int)(half - 1) }).Normalized().Truncated32();
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

    private static ulong Exact64(AluOperation op, ulong dst, ulong src) => op switch
    {
        AluOperation.Add => dst + src,
        AluOperation.Sub => dst - src,
        AluOperation.Mul => dst * src,
        AluOperation.Or => dst | src,
        AluOperation.And => dst & src,
        AluOperation.Xor => dst ^ src,
        AluOperation.Lsh => dst << (int)src,
        AluOperation.Rsh => dst >> (int)src,
        _ => (ulong)((long)dst >> (int)src),
    };

    private static uint Exact32(AluOperation op, uint dst, uint src) => op switch
    {
        AluOperation.Add => dst + src,
        AluOperation.Sub => dst - src,
        AluOperation.Mul => dst * src,
        AluOperation.Or => dst | src,
        AluOperation.And => dst & src,
        AluOperation.Xor => dst ^ src,
        AluOperation.Lsh => dst << (int)src,
        AluOperation.Rsh => dst >> (int)src,
        _ => (uint)((int)dst >> (int)src),
    };
}

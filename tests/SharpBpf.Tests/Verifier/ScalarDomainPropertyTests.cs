using CsCheck;
using SharpBpf.Isa;
using SharpBpf.Verifier;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// Soundness of the verifier's scalar bounds: for random ranges and random concrete values inside them, what the ISA
/// computes on the concrete values (<see cref="ConcreteBpf"/>, plain C# arithmetic sharing no code with the
/// verifier) always lies inside what the abstract operation says; and a conditional jump never calls a side
/// impossible that the concrete values take, nor refines a register's bounds past its concrete value — JMP32 on
/// registers wider than 32 bits included. "Inside" means every view: signed and unsigned 64-bit bounds, signed and
/// unsigned bounds of the low 32 bits, and known bits (the tnum): ranges are drawn as intervals, as tnums, as both at
/// once, and as bounds of the low half only (what a JMP32 or an ALU32 result knows).
/// </summary>
public class ScalarDomainPropertyTests
{
    private static readonly AluOperation[] Operations =
    [
        AluOperation.Add, AluOperation.Sub, AluOperation.Mul, AluOperation.Div, AluOperation.Or, AluOperation.And,
        AluOperation.Lsh, AluOperation.Rsh, AluOperation.Mod, AluOperation.Xor, AluOperation.Mov, AluOperation.Arsh,
    ];

    private static readonly JumpOperation[] Comparisons =
    [
        JumpOperation.Jeq, JumpOperation.Jne, JumpOperation.Jgt, JumpOperation.Jge, JumpOperation.Jlt, JumpOperation.Jle,
        JumpOperation.Jsgt, JumpOperation.Jsge, JumpOperation.Jslt, JumpOperation.Jsle, JumpOperation.Jset,
    ];

    /// <summary>Low halves that matter to a 32-bit operation: small, around the 32-bit sign bit, all ones.</summary>
    private static readonly Gen<ulong> LowHalf = Gen.OneOf(
        Gen.ULong[0, 300], Gen.ULong[int.MaxValue - 300UL, int.MaxValue + 300UL], Gen.ULong[uint.MaxValue - 300UL, uint.MaxValue]);

    /// <summary>Values that hit the interesting edges: small, near 2^32, near the sign bit, all ones, and values wider
    /// than 32 bits whose low half is one of the 32-bit edges (what a JMP32 or ALU32 sees of them).</summary>
    private static readonly Gen<ulong> Value = Gen.OneOf(
        Gen.ULong[0, 300], Gen.ULong[uint.MaxValue - 300UL, uint.MaxValue + 300UL],
        Gen.ULong[(ulong)long.MaxValue - 300, (ulong)long.MaxValue + 300], Gen.ULong[ulong.MaxValue - 300, ulong.MaxValue], Gen.ULong,
        Gen.Select(Gen.ULong[1, 8], LowHalf, (high, low) => (high << 32) | low),
        Gen.Select(Gen.ULong[uint.MaxValue - 8, uint.MaxValue], LowHalf, (high, low) => (high << 32) | low));

    /// <summary>Unknown bits: any, a low run (a value below a power of two), or a run above known low bits (aligned).</summary>
    private static readonly Gen<ulong> Mask = Gen.OneOf(
        Gen.ULong,
        Gen.Int[0, 64].Select(bits => bits == 64 ? ulong.MaxValue : (1UL << bits) - 1),
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 6], (bits, low) => ((1UL << bits) - 1) << low));

    /// <summary>A tnum and a member of it.</summary>
    private static readonly Gen<(Tnum Bits, ulong Member)> TnumWithMember =
        Gen.Select(Value, Mask, Gen.ULong).Select((value, mask, pick) => (new Tnum(value & ~mask, mask), (value & ~mask) | (pick & mask)));

    /// <summary>A range and a member of it: a constant, an unsigned or signed interval, a tnum, or an interval with known bits.</summary>
    private static readonly Gen<(ScalarRange Range, ulong Member)> RangeWithMember =
        Gen.Select(Value, Value, Gen.Int[0, 6], Gen.ULong, Mask).Select((a, b, shape, pick, mask) =>
        {
            switch (shape)
            {
                case 5:
                {
                    // Bounds of the low half only (a JMP32 or an ALU32 result), any high half.
                    uint lo = Math.Min((uint)a, (uint)b), hi = Math.Max((uint)a, (uint)b);
                    uint low = hi == lo ? lo : lo + (uint)(pick % ((ulong)hi - lo + 1));
                    return (ScalarRange.Unsigned32(lo, hi), (pick & ~0xffff_ffffUL) | low);
                }
                case 6:
                {
                    int lo = Math.Min((int)a, (int)b), hi = Math.Max((int)a, (int)b);
                    int low = (int)(lo + (long)(pick % (ulong)((long)hi - lo + 1)));
                    var range = (ScalarRange.Unbounded with { S32Min = lo, S32Max = hi }).Normalized();
                    return (range, (pick & ~0xffff_ffffUL) | (uint)low);
                }
                case 0:
                    return (ScalarRange.Constant(a), a);
                case 3:
                    return (ScalarRange.Of(new Tnum(a & ~mask, mask)), (a & ~mask) | (pick & mask));
                case 4:
                {
                    ulong lo = Math.Min(a, b), hi = Math.Max(a, b);
                    ulong member = hi == lo ? lo : lo + pick % (hi - lo + 1 == 0 ? ulong.MaxValue : hi - lo + 1);
                    return (ScalarRange.Unsigned(lo, hi).WithBits(new Tnum(member & ~mask, mask)), member);
                }
                case 1:
                {
                    ulong lo = Math.Min(a, b), hi = Math.Max(a, b);
                    ulong member = hi == lo ? lo : lo + pick % (hi - lo + 1 == 0 ? ulong.MaxValue : hi - lo + 1);
                    return (ScalarRange.Unsigned(lo, hi), member);
                }
                default:
                {
                    long lo = Math.Min((long)a, (long)b), hi = Math.Max((long)a, (long)b);
                    ulong span = (ulong)(hi - lo);
                    long member = lo + (long)(span == ulong.MaxValue ? pick : pick % (span + 1));
                    return (ScalarRange.Signed(lo, hi), (ulong)member);
                }
            }
        });

    private static bool Holds(ScalarRange range, ulong value) =>
        range.UMin <= value && value <= range.UMax && range.SMin <= (long)value && (long)value <= range.SMax && range.KnownBits.Has(value)
        && range.U32Min <= (uint)value && (uint)value <= range.U32Max && range.S32Min <= (int)value && (int)value <= range.S32Max;

    [Fact]
    public void Every_tnum_operation_holds_the_concrete_result_of_members()
    {
        Gen.Select(TnumWithMember, TnumWithMember, Gen.Int[0, 63])
            .Sample((left, right, shift) =>
            {
                var (a, x) = left;
                var (b, y) = right;
                var what = $"{x} in {a}, {y} in {b}";
                Assert.True((a + b).Has(x + y), $"add: {what}");
                Assert.True((a - b).Has(x - y), $"sub: {what}");
                Assert.True((a * b).Has(x * y), $"mul: {what}");
                Assert.True((a & b).Has(x & y), $"and: {what}");
                Assert.True((a | b).Has(x | y), $"or: {what}");
                Assert.True((a ^ b).Has(x ^ y), $"xor: {what}");
                Assert.True((-a).Has(0 - x), $"neg: {what}");
                Assert.True(a.ShiftLeft(shift).Has(x << shift), $"lsh {shift}: {what}");
                Assert.True(a.ShiftRight(shift).Has(x >> shift), $"rsh {shift}: {what}");
                Assert.True(a.ShiftRightArithmetic(shift, 64).Has((ulong)((long)x >> shift)), $"arsh {shift}: {what}");
                Assert.True(a.Cast(4).ShiftRightArithmetic(shift & 31, 32).Has((uint)((int)x >> (shift & 31))), $"arsh32 {shift}: {what}");
                Assert.True(a.Cast(4).Has((uint)x) && a.Cast(2).Has((ushort)x) && a.Cast(1).Has((byte)x), $"cast: {what}");
                Assert.True(a.Union(b).Has(x) && a.Union(b).Has(y) && a.Union(b).Contains(a), $"union: {what}");
                Assert.True(a.Intersect(Tnum.Constant(x)).Has(x), $"intersect: {what}");
                Assert.True(Tnum.Range(Math.Min(x, y), Math.Max(x, y)).Has(x) && Tnum.Range(Math.Min(x, y), Math.Max(x, y)).Has(y), $"range: {what}");
                Assert.Equal(a.Contains(Tnum.Constant(y)), a.Has(y));
            }, iter: 200_000);
    }

    [Fact]
    public void Normalizing_a_range_keeps_every_member_of_all_its_views()
    {
        Gen.Select(RangeWithMember, TnumWithMember)
            .Sample((range, bits) =>
            {
                // A tnum that also holds the member: the combination must hold it in every view.
                var known = new Tnum(range.Member & ~bits.Bits.Mask, bits.Bits.Mask);
                var combined = range.Range.WithBits(known);
                Assert.True(Holds(combined, range.Member), $"{range.Member} in {range.Range} and {known}: outside {combined}");
                Assert.True(Holds(range.Range.Hull(combined), range.Member), $"hull of {range.Range} and {combined}");
                Assert.True(Holds(range.Range.Truncated32(), (uint)range.Member), $"{range.Member} in {range.Range} truncated: outside {range.Range.Truncated32()}");
            }, iter: 200_000);
    }

    [Theory]
    [InlineData(0xfcUL, 4UL)]
    [InlineData(0x1f8UL, 8UL)]
    public void And_with_a_constant_knows_the_low_bits_are_clear(ulong mask, ulong alignment)
    {
        var result = ScalarArithmetic.Apply(AluOperation.And, true, ScalarRange.Unbounded, ScalarRange.Constant(mask));
        Assert.True(result.KnownBits.IsAligned(alignment), result.ToString());
        Assert.Equal(mask, result.UMax);
        Assert.Equal($"(0x0; 0x{mask:x})", result.KnownBits.ToString());
    }

    [Fact]
    public void Jset_of_one_bit_knows_the_bit_on_each_side()
    {
        var any = ScalarRange.Bits(8);
        var taken = State(any, ScalarRange.Constant(4));
        var fall = State(any, ScalarRange.Constant(4));
        var (canTake, canFall) = BranchRefinement.Refine(JumpOperation.Jset, false, any, ScalarRange.Constant(4), 1, 2, taken, fall);
        Assert.True(canTake && canFall);
        Assert.Equal(new Tnum(4, 0xfb), taken.Registers[1].Range.KnownBits);
        Assert.Equal(new Tnum(0, 0xfb), fall.Registers[1].Range.KnownBits);

        // A multiple of 4 never has bit 1 set.
        var aligned = ScalarRange.Of(new Tnum(0, 0xfc));
        var (alignedTake, alignedFall) = BranchRefinement.Refine(JumpOperation.Jset, false, aligned, ScalarRange.Constant(2), 1, 2,
            State(aligned, ScalarRange.Constant(2)), State(aligned, ScalarRange.Constant(2)));
        Assert.Equal((false, true), (alignedTake, alignedFall));
    }

    [Fact]
    public void Every_alu_result_lies_inside_the_abstract_result()
    {
        Gen.Select(RangeWithMember, RangeWithMember, Gen.Int[0, Operations.Length - 1], Gen.Bool, Gen.Bool)
            .Sample((left, right, index, is64, signed) =>
            {
                var op = Operations[index];
                Assert.True(Holds(left.Range, left.Member), $"generator: {left.Member} not in {left.Range}");
                Assert.True(Holds(right.Range, right.Member), $"generator: {right.Member} not in {right.Range}");
                var concrete = ConcreteBpf.Alu(op, is64, signed, left.Member, right.Member);
                var abstractResult = ScalarArithmetic.Apply(op, is64, left.Range, right.Range);
                Assert.True(Holds(abstractResult, concrete),
                    $"{op} is64={is64} signed={signed}: {left.Member} in {left.Range}, {right.Member} in {right.Range} gives {concrete}, outside {abstractResult}");
            }, iter: 200_000);
    }

    [Fact]
    public void Every_sign_extension_and_byte_swap_lies_inside_the_abstract_result()
    {
        Gen.Select(RangeWithMember, Gen.Int[0, 2], Gen.Bool, Gen.Bool)
            .Sample((value, width, is64, toBigEndian) =>
            {
                var bits = 8 << width; // movsx: 8, 16 or 32
                long extended = bits switch { 8 => (sbyte)value.Member, 16 => (short)value.Member, _ => (int)value.Member };
                var concreteExtension = is64 ? (ulong)extended : (uint)extended;
                var extension = ScalarArithmetic.SignExtend(value.Range, bits, is64);
                Assert.True(Holds(extension, concreteExtension), $"movsx{bits} is64={is64}: {value.Member} in {value.Range} gives {concreteExtension}, outside {extension}");

                var swapBits = 16 << width; // le/be: 16, 32 or 64
                var low = swapBits == 64 ? value.Member : value.Member & ((1UL << swapBits) - 1);
                var concreteSwap = !toBigEndian ? low : Reverse(low, swapBits / 8);
                var swap = ScalarArithmetic.ByteSwap(value.Range, toBigEndian, swapBits);
                Assert.True(Holds(swap, concreteSwap), $"swap{swapBits} be={toBigEndian}: {value.Member} in {value.Range} gives {concreteSwap}, outside {swap}");
            }, iter: 100_000);
    }

    // The low `bytes` bytes of value, in the opposite order (this host is little-endian, like the BPF targets here).
    private static ulong Reverse(ulong value, int bytes)
    {
        ulong result = 0;
        for (var i = 0; i < bytes; i++)
        {
            result = (result << 8) | ((value >> (8 * i)) & 0xff);
        }

        return result;
    }

    [Fact]
    public void A_comparison_keeps_the_side_the_values_take_possible_and_both_values_inside_its_refined_bounds()
    {
        // Counts of JMP32 comparisons of ranges wider than 32 bits, by outcome: the case that compares low halves only.
        var wide32 = new long[2];
        Gen.Select(RangeWithMember, RangeWithMember, Gen.Int[0, Comparisons.Length - 1], Gen.Bool)
            .Sample((left, right, index, is32) =>
            {
                var op = Comparisons[index];
                ulong a = left.Member, b = right.Member;
                var holds = ConcreteBpf.Compare(op, is32, a, b);
                if (is32 && (!left.Range.FitsIn32Bits || !right.Range.FitsIn32Bits))
                {
                    Interlocked.Increment(ref wide32[holds ? 1 : 0]);
                }

                var taken = State(left.Range, right.Range);
                var fall = State(left.Range, right.Range);
                var (canTake, canFall) = BranchRefinement.Refine(op, is32, left.Range, right.Range, 1, 2, taken, fall);
                var what = $"{op} is32={is32}: {a} in {left.Range} vs {b} in {right.Range} (holds={holds})";
                Assert.True(holds ? canTake : canFall, $"{what}: judged impossible");
                var side = holds ? taken : fall;
                Assert.True(Holds(side.Registers[1].Range, a), $"{what}: left outside refined {side.Registers[1].Range}");
                Assert.True(Holds(side.Registers[2].Range, b), $"{what}: right outside refined {side.Registers[2].Range}");
                if (left.Range.IsConstant && right.Range.IsConstant)
                {
                    // Two constants decide the jump: the other side must be known impossible (precision, not soundness,
                    // but a wrong width in the comparison shows up here first).
                    Assert.False(holds ? canFall : canTake, $"{what}: the side not taken is judged possible");
                }
            }, iter: 200_000);

        Assert.True(wide32[0] > 1000 && wide32[1] > 1000,
            $"JMP32 on wider-than-32-bit ranges too rare: {wide32[1]} taken, {wide32[0]} not taken");
    }

    [Theory]
    [InlineData(0x1_0000_0005UL, 6UL, true)]   // low half 5 < 6, though the 64-bit value is not
    [InlineData(0x1_0000_0007UL, 6UL, false)]
    [InlineData(0x2_FFFF_FFFFUL, 0UL, false)]  // the low half is all ones: not below 0 unsigned
    public void Jlt32_on_a_constant_wider_than_32_bits_compares_its_low_half(ulong left, ulong right, bool taken)
    {
        var (canTake, canFall) = BranchRefinement.Refine(JumpOperation.Jlt, true, ScalarRange.Constant(left), ScalarRange.Constant(right),
            1, 2, State(ScalarRange.Constant(left), ScalarRange.Constant(right)), State(ScalarRange.Constant(left), ScalarRange.Constant(right)));
        Assert.Equal((taken, !taken), (canTake, canFall));
    }

    [Theory]
    [InlineData((int)JumpOperation.Jeq, 5UL, true)]   // the low half is known to be 5, whatever the high half is
    [InlineData((int)JumpOperation.Jeq, 6UL, false)]
    [InlineData((int)JumpOperation.Jgt, 4UL, true)]
    [InlineData((int)JumpOperation.Jset, 2UL, false)]
    public void Jmp32_on_a_wide_register_is_decided_by_its_known_low_half(int operation, ulong right, bool taken)
    {
        var op = (JumpOperation)operation;
        var left = ScalarRange.Of(new Tnum(5, 0xffff_ffff_0000_0000));
        var (canTake, canFall) = BranchRefinement.Refine(op, true, left, ScalarRange.Constant(right), 1, 2,
            State(left, ScalarRange.Constant(right)), State(left, ScalarRange.Constant(right)));
        Assert.Equal((taken, !taken), (canTake, canFall));
    }

    private static VerifierState State(ScalarRange left, ScalarRange right)
    {
        var frame = new FrameState(0, -1, FrameExit.ReturnToCaller);
        frame.Registers[1] = RegisterValue.Scalar(left);
        frame.Registers[2] = RegisterValue.Scalar(right);
        return new VerifierState(frame, inAsyncCallback: false);
    }
}

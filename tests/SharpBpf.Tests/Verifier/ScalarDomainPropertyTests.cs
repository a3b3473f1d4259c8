using CsCheck;
using SharpBpf.Isa;
using SharpBpf.Verifier;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// Soundness of the verifier's scalar bounds: for random ranges and random concrete values inside them, the exact
/// result of an operation (or of a comparison) always lies inside what the abstract operation says.
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

    /// <summary>Values that hit the interesting edges: small, near 2^32, near the sign bit, all ones.</summary>
    private static readonly Gen<ulong> Value = Gen.OneOf(
        Gen.ULong[0, 300], Gen.ULong[uint.MaxValue - 300UL, uint.MaxValue + 300UL],
        Gen.ULong[(ulong)long.MaxValue - 300, (ulong)long.MaxValue + 300], Gen.ULong[ulong.MaxValue - 300, ulong.MaxValue], Gen.ULong);

    /// <summary>A range and a member of it: either a constant, an unsigned interval, or a signed interval.</summary>
    private static readonly Gen<(ScalarRange Range, ulong Member)> RangeWithMember =
        Gen.Select(Value, Value, Gen.Int[0, 2], Gen.ULong).Select((a, b, shape, pick) =>
        {
            switch (shape)
            {
                case 0:
                    return (ScalarRange.Constant(a), a);
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
        range.UMin <= value && value <= range.UMax && range.SMin <= (long)value && (long)value <= range.SMax;

    [Fact]
    public void Every_alu_result_lies_inside_the_abstract_result()
    {
        Gen.Select(RangeWithMember, RangeWithMember, Gen.Int[0, Operations.Length - 1], Gen.Bool, Gen.Bool)
            .Sample((left, right, index, is64, signed) =>
            {
                var op = Operations[index];
                Assert.True(Holds(left.Range, left.Member), $"generator: {left.Member} not in {left.Range}");
                var exact = ScalarArithmetic.Apply(op, is64, signed, ScalarRange.Constant(left.Member), ScalarRange.Constant(right.Member));
                Assert.True(exact.IsConstant);
                var abstractResult = ScalarArithmetic.Apply(op, is64, signed, left.Range, right.Range);
                Assert.True(Holds(abstractResult, exact.Value),
                    $"{op} is64={is64} signed={signed}: {left.Member} in {left.Range}, {right.Member} in {right.Range} gives {exact.Value}, outside {abstractResult}");
            }, iter: 200_000);
    }

    [Fact]
    public void A_comparison_that_holds_keeps_both_values_inside_the_refined_bounds()
    {
        Gen.Select(RangeWithMember, RangeWithMember, Gen.Int[0, Comparisons.Length - 1], Gen.Bool)
            .Sample((left, right, index, is32) =>
            {
                var op = Comparisons[index];
                ulong a = left.Member, b = right.Member;
                if (is32 && (!left.Range.FitsIn32Bits || !right.Range.FitsIn32Bits))
                {
                    return;
                }

                bool holds = op switch
                {
                    JumpOperation.Jeq => a == b,
                    JumpOperation.Jne => a != b,
                    JumpOperation.Jgt => a > b,
                    JumpOperation.Jge => a >= b,
                    JumpOperation.Jlt => a < b,
                    JumpOperation.Jle => a <= b,
                    JumpOperation.Jsgt => is32 ? (int)a > (int)b : (long)a > (long)b,
                    JumpOperation.Jsge => is32 ? (int)a >= (int)b : (long)a >= (long)b,
                    JumpOperation.Jslt => is32 ? (int)a < (int)b : (long)a < (long)b,
                    JumpOperation.Jsle => is32 ? (int)a <= (int)b : (long)a <= (long)b,
                    _ => (a & b) != 0,
                };
                var taken = State(left.Range, right.Range);
                var fall = State(left.Range, right.Range);
                var (canTake, canFall) = BranchRefinement.Refine(op, is32, left.Range, right.Range, 1, 2, taken, fall);
                var side = holds ? taken : fall;
                Assert.True(holds ? canTake : canFall, $"{op} is32={is32}: {a} vs {b} (holds={holds}) judged impossible for {left.Range} / {right.Range}");
                Assert.True(Holds(side.Registers[1].Range, a), $"{op}: left {a} outside refined {side.Registers[1].Range}");
                Assert.True(Holds(side.Registers[2].Range, b), $"{op}: right {b} outside refined {side.Registers[2].Range}");
            }, iter: 200_000);
    }

    private static VerifierState State(ScalarRange left, ScalarRange right)
    {
        var frame = new FrameState(0, -1, FrameExit.ReturnToCaller);
        frame.Registers[1] = RegisterValue.Scalar(left);
        frame.Registers[2] = RegisterValue.Scalar(right);
        return new VerifierState(frame, inAsyncCallback: false);
    }
}

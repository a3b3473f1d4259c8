using SharpBpf.Runtime.Contexts;
using SharpBpf.Verifier;
using static SharpBpf.Tests.Verifier.VerifierHarness;

namespace SharpBpf.Tests.Soundness;

/// <summary>
/// The bounds neighbour of <see cref="PrunedAtomicAlignmentTests"/>: a path where the scalar added to a stack pointer
/// is any byte must not be pruned against the one where it is a constant, or the access through the pointer would be
/// judged (and proven) with the constant only.
/// </summary>
public class PrunedPointerOffsetTests
{
    // Fall-through: fp-48 holds 8, so r8 = fp-64 + 8. Taken: fp-48 was never written, r7 is any multiple of 8 below 256
    // (aligned, so the stack's strict alignment passes) and the store through r8 may land above the frame: it must be
    // refused, as Linux refuses it.
    private const string Program = """
        mov %r6, %r1
        ldxw %r7, [%r6+12]
        jne %r7, 31, +1
        stdw [%r10-48], 8
        ldxdw %r7, [%r10-48]
        and %r7, 248
        mov %r8, %r10
        add %r8, -64
        add %r8, %r7
        stdw [%r8+0], 1
        mov %r0, 0
        exit
        """;

    [Fact]
    public void The_path_with_an_unknown_offset_is_not_pruned_against_the_constant_one()
    {
        var result = Verify(Program, [], [], context: VerifierContexts.For(SharpBpf.Loader.ProgramType.Xdp));
        Assert.False(result.Accepted, "the store through fp-64 + (any number) was accepted");
        Assert.Equal((int?)9, result.InstructionIndex);
        Assert.StartsWith("invalid variable-offset write to stack R8", result.Error, StringComparison.Ordinal);
    }
}

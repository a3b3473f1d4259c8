namespace SharpBpf.Tests.Verifier;

/// <summary>
/// may_goto as Linux 6.18's verifier walks it (Data/generated rt3_can_loop_* hold the kernel's verdicts on clang's
/// can_loop): the jump first, the fall-through one may_goto depth deeper; rounds converge where an imprecise scalar
/// was widened, and a precise one that changes every round unrolls the loop until the instruction limit.
/// </summary>
public class MayGotoVerifierTests
{
    [Fact]
    public void A_loop_only_may_goto_ends_converges()
    {
        var result = VerifierHarness.Verify("""
            mov %r0, 0
            mov %r6, 0
            may_goto +2
            add %r6, 1
            ja -3
            exit
            """);
        Assert.True(result.Accepted, result.Error);
        Assert.True(result.ProcessedInstructions < 100, $"processed {result.ProcessedInstructions}");
    }

    [Fact]
    public void A_counter_the_exit_code_depends_on_is_precise_and_unrolls_until_the_limit()
    {
        // r0 = r6 & 1 decides a branch, so r6 is precise and never widened: every round is a new state.
        var result = VerifierHarness.Verify("""
            mov %r6, 0
            may_goto +2
            add %r6, 1
            ja -3
            mov %r0, %r6
            and %r0, 1
            jeq %r0, 0, +1
            mov %r0, 1
            exit
            """, [], [VerifierHarness.PlainMap], options: new SharpBpf.Verifier.VerifierOptions { InstructionLimit = 20_000 });
        Assert.False(result.Accepted);
        Assert.StartsWith("BPF program is too large.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_state_one_may_goto_round_deeper_is_convergence_not_an_infinite_loop()
    {
        var infinite = VerifierHarness.Verify("""
            mov %r0, 0
            jne %r0, 1, -1
            exit
            """);
        Assert.False(infinite.Accepted);
        Assert.Contains("infinite loop detected", infinite.Error, StringComparison.Ordinal);

        var budgeted = VerifierHarness.Verify("""
            mov %r0, 0
            may_goto +1
            jne %r0, 1, -2
            exit
            """);
        Assert.True(budgeted.Accepted, budgeted.Error);
    }

    [Fact]
    public void A_may_goto_with_a_reserved_field_set_is_refused_as_the_kernel_refuses_it()
    {
        var result = VerifierHarness.Verify("mov %r0, 0\nmay_goto +0\nexit", [], [], adjust: input => input with
        {
            Instructions = [.. input.Instructions.Select((insn, pc) => pc == 1 ? insn.WithImmediate(5) : insn)],
        });
        Assert.Equal(("invalid may_goto imm 5", (int?)1), (result.Error, result.InstructionIndex));
    }
}

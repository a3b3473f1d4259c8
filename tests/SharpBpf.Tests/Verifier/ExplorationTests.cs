using SharpBpf.Verifier;
using static SharpBpf.Tests.Verifier.VerifierHarness;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// The walk as the kernel's: loops followed iteration by iteration (no widening), an unfinished ancestor that the
/// path meets again unchanged is an infinite loop, and the kernel's limits on pending branches and instructions.
/// </summary>
public class ExplorationTests
{
    [Fact]
    public void A_loop_whose_exit_is_never_taken_is_an_infinite_loop()
    {
        var result = Verify("mov %r0, 0\njeq %r0, 1, +1\nja -2\nexit");
        Assert.Equal(("infinite loop detected at insn 1", (int?)1), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void A_counter_kept_as_misc_stack_bytes_loops_forever_as_far_as_the_verifier_knows()
    {
        // The counter lives at fp-4: a 4-byte store off an 8-byte boundary is "misc" to the kernel, so every reload
        // is unknown and the loop head sees the same state again.
        var result = Verify("""
            mov %r1, 0
            stxw [%r10-4], %r1
            ldxw %r1, [%r10-4]
            add %r1, 1
            stxw [%r10-4], %r1
            jlt %r1, 5, -4
            mov %r0, 0
            exit
            """);
        Assert.False(result.Accepted);
        Assert.StartsWith("infinite loop detected at insn", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_counter_in_a_whole_stack_slot_is_followed_to_the_loops_end()
    {
        var result = Verify("""
            mov %r1, 0
            stxdw [%r10-8], %r1
            ldxdw %r1, [%r10-8]
            add %r1, 1
            stxdw [%r10-8], %r1
            jlt %r1, 5, -4
            mov %r0, 0
            exit
            """);
        Assert.True(result.Accepted, result.Log);
    }

    [Fact]
    public void The_last_iteration_of_a_counted_loop_is_checked_with_its_exact_counter()
    {
        // for (i = 0; i < 12; i++) buf[i] = i; with buf at fp-88: the twelfth store lands at fp+0, outside the stack.
        var loop = """
            mov %r1, 0
            mov %r2, %r10
            add %r2, -88
            mov %r3, %r1
            lsh %r3, 3
            add %r2, %r3
            stxdw [%r2+0], %r1
            add %r1, 1
            jlt %r1, LIMIT, -8
            mov %r0, 0
            exit
            """;
        Assert.True(Verify(loop.Replace("LIMIT", "11", StringComparison.Ordinal)).Accepted);
        var result = Verify(loop.Replace("LIMIT", "12", StringComparison.Ordinal));
        Assert.Equal(("invalid write to stack R2 off=0 size=8", (int?)6), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void More_than_8192_pending_branches_are_too_complex()
    {
        var branches = string.Concat(Enumerable.Range(0, 8200).Select(k => $"jeq %r1, {k}, +1\nmov %r0, 0\n"));
        var result = Verify("call 7\nmov %r1, %r0\n" + branches + "mov %r0, 0\nexit");
        Assert.Equal("The sequence of 8193 jumps is too complex.", result.Error);
    }

    [Fact]
    public void A_branch_decided_by_a_counter_makes_the_counter_precise_so_states_differing_in_it_are_not_pruned()
    {
        // r6 is 0 or 1 from the branch on an unknown value; later r6 decides whether r7 (8 or 16) is added to a
        // stack pointer. Pruning the second path at the join would skip its out-of-bounds write at fp-8+8.
        var result = Verify("""
            call 7
            mov %r6, 0
            jeq %r0, 0, +1
            mov %r6, 1
            mov %r2, %r10
            add %r2, -16
            jeq %r6, 0, +1
            add %r2, 16
            mov %r1, 0
            stxdw [%r2+0], %r1
            mov %r0, 0
            exit
            """);
        Assert.Equal("invalid write to stack R2 off=0 size=8", result.Error);
    }

    [Fact]
    public void The_log_ends_with_the_kernels_statistics()
    {
        var result = Verify("mov %r0, 0\nexit");
        Assert.Equal(2, result.ProcessedInstructions);
        Assert.EndsWith("processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n", result.Log, StringComparison.Ordinal);
    }
}

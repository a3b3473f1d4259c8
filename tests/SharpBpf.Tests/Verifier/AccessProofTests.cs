using SharpBpf.Maps;
using SharpBpf.Runtime.Contexts;
using SharpBpf.Verifier;
using static SharpBpf.Tests.Verifier.VerifierHarness;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// What the verifier records per memory instruction (issue 9 item 4): proven only where every visit passed a bounds
/// check; an access allowed without one (unmodelled context or pointer, an atomic not known aligned)
/// stays unproven, and so does every slot that is not a load, store or atomic.
/// </summary>
public class AccessProofTests
{
    private static readonly VerifierMap Array24 = new("values", MapType.Array, 4, 24, [], MaxEntries: 4);

    private static AccessProof ProofAt(VerificationResult result, int slot)
    {
        Assert.True(result.Accepted, result.Log);
        return result.AccessProofs[slot];
    }

    [Fact]
    public void Constant_stack_accesses_are_proven_and_other_instructions_are_not()
    {
        var result = Verify("stdw [%r10-8], 7\nldxdw %r0, [%r10-8]\nexit", [], [Array24]);
        Assert.Equal(new AccessProof(true, AccessRegions.Stack), ProofAt(result, 0));
        Assert.Equal(new AccessProof(true, AccessRegions.Stack), ProofAt(result, 1));
        Assert.False(ProofAt(result, 2).Proven);
    }

    [Fact]
    public void A_map_value_access_after_the_null_check_is_proven_with_a_variable_offset_too()
    {
        var result = Verify(LookupIntoR6 + """

            ldxdw %r1, [%r6+16]
            ldxb %r2, [%r6+0]
            and %r2, 15
            add %r6, %r2
            stxdw [%r6+0], %r1
            mov %r0, 0
            exit
            """, [], [Array24]);
        Assert.Equal(new AccessProof(true, AccessRegions.MapValue), ProofAt(result, 10));
        Assert.Equal(new AccessProof(true, AccessRegions.MapValue), ProofAt(result, 14));
    }

    [Fact]
    public void A_packet_read_behind_a_data_end_comparison_and_a_context_field_are_proven()
    {
        var result = Verify("ldxw %r2, [%r1+0]\nldxw %r3, [%r1+4]\nmov %r0, 0\nmov %r4, %r2\nadd %r4, 14\njgt %r4, %r3, +1\nldxb %r0, [%r2+13]\nexit", [], [Array24]);
        Assert.Equal(new AccessProof(true, AccessRegions.Context), ProofAt(result, 0));
        Assert.Equal(new AccessProof(true, AccessRegions.Packet), ProofAt(result, 6));
    }

    [Fact]
    public void A_context_the_verifier_does_not_model_is_never_proven()
    {
        var result = Verify("ldxdw %r0, [%r1+8]\nexit", [], [Array24], context: ContextLayout.Opaque(0));
        Assert.False(ProofAt(result, 0).Proven);
    }

    [Fact]
    public void One_visit_through_an_unmodelled_pointer_makes_the_slot_unproven_though_another_was_proven()
    {
        // TC: bpf_get_current_uid_gid has no signature here, so its result is a value the verifier does not model.
        // The store at slot 6 is reached with a stack pointer on one path (proven) and with that value on the other
        // (allowed, not proven).
        var result = Verify("""
            ldxw %r6, [%r1+0]
            call 15
            mov %r4, %r10
            add %r4, -8
            jeq %r6, 0, +1
            mov %r4, %r0
            stdw [%r4+0], 0
            mov %r0, 0
            exit
            """, [], [Array24], context: VerifierContexts.For(SharpBpf.Loader.ProgramType.SchedCls));
        Assert.False(ProofAt(result, 6).Proven);
        Assert.Equal(new AccessProof(true, AccessRegions.Context), ProofAt(result, 0));
    }

    [Fact]
    public void An_aligned_atomic_is_proven()
    {
        var result = Verify(LookupIntoR6 + """

            mov %r1, 1
            lock add [%r6+8], %r1
            mov %r0, 0
            exit
            """, [], [Array24]);
        Assert.True(ProofAt(result, 11).Proven);
    }

    /// <summary>Atomics are strictly aligned in Linux (check_atomic), even on x86-64: a misaligned one is refused.</summary>
    [Theory]
    [InlineData(4)]
    [InlineData(2)]
    public void A_misaligned_atomic_is_refused(int offset)
    {
        var result = Verify(LookupIntoR6 + $"""

            mov %r1, 1
            lock add [%r6+{offset}], %r1
            mov %r0, 0
            exit
            """, [], [Array24]);
        Assert.False(result.Accepted);
        Assert.Equal((int?)11, result.InstructionIndex);
        Assert.Equal($"misaligned value access off 0+0+{offset} size 8", result.Error);
    }

    [Fact]
    public void A_rejected_program_carries_no_proofs()
    {
        var result = Verify("ldxdw %r0, [%r10+0]\nexit", [], [Array24]);
        Assert.False(result.Accepted);
        Assert.Empty(result.AccessProofs);
    }
}

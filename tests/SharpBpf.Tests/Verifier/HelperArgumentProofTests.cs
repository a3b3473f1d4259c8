using SharpBpf.Maps;
using SharpBpf.Verifier;
using static SharpBpf.Tests.Verifier.VerifierHarness;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// What the verifier records per helper call and memory argument (VerificationResult.HelperArgumentProofs): proven
/// only when every visit passed the bounds check for the whole size the helper may touch, with the region it was
/// proven in; NULL on one path, an inner map's key or value, or a packet where the type runs on no real packet leave
/// the argument unproven.
/// </summary>
public class HelperArgumentProofTests
{
    private static readonly VerifierMap Values = new("values", MapType.Array, 4, 8, [], MaxEntries: 4);
    private static readonly VerifierMap Sessions = new("sessions", MapType.Hash, 4, 8, [], MaxEntries: 16);
    private static readonly VerifierMap Outer = new("outer", MapType.ArrayOfMaps, 4, 4, [], InnerMap: Values, MaxEntries: 4);

    private static AccessProof ProofOf(VerificationResult result, int call, int register)
    {
        Assert.True(result.Accepted, result.Log);
        return result.HelperArgumentProofs[new HelperArgumentSlot(call, register)];
    }

    [Fact]
    public void A_stack_key_and_a_map_value_given_to_an_update_are_proven_with_their_regions()
    {
        var result = Verify("""
            stw [%r10-4], 1
            mov %r2, %r10
            add %r2, -4
            lddw %r1, map_fd 0
            call 1
            jeq %r0, 0, +7
            mov %r3, %r0
            mov %r2, %r10
            add %r2, -4
            lddw %r1, map_fd 1
            mov %r4, 0
            call 2
            mov %r0, 0
            exit
            """, [], [Values, Sessions]);
        Assert.Equal(new AccessProof(true, AccessRegions.Stack), ProofOf(result, 5, 2));
        Assert.Equal(new AccessProof(true, AccessRegions.Stack), ProofOf(result, 13, 2));
        Assert.Equal(new AccessProof(true, AccessRegions.MapValue), ProofOf(result, 13, 3));
        // Only memory arguments have proofs: not the map, not the flags.
        Assert.DoesNotContain(new HelperArgumentSlot(13, 1), result.HelperArgumentProofs.Keys);
        Assert.DoesNotContain(new HelperArgumentSlot(13, 4), result.HelperArgumentProofs.Keys);
    }

    [Fact]
    public void A_variable_size_is_proven_for_its_largest_value()
    {
        // bpf_get_current_comm(r10-16, 1 + (random & 15)): at most 16 bytes, inside the 16-byte buffer.
        var result = Verify("""
            call 7
            and %r0, 15
            add %r0, 1
            mov %r2, %r0
            mov %r1, %r10
            add %r1, -16
            call 16
            mov %r0, 0
            exit
            """, [], [Values]);
        Assert.Equal(new AccessProof(true, AccessRegions.Stack), ProofOf(result, 6, 1));
    }

    [Fact]
    public void Null_on_one_path_leaves_a_nullable_argument_unproven()
    {
        // bpf_csum_diff(from, from_size, NULL, 0, 0) where from is NULL with size 0 on one path, 4 stack bytes on the other.
        var result = Verify("""
            stw [%r10-4], 7
            call 7
            mov %r1, 0
            mov %r2, 0
            jeq %r0, 0, +3
            mov %r1, %r10
            add %r1, -4
            mov %r2, 4
            mov %r3, 0
            mov %r4, 0
            mov %r5, 0
            call 28
            mov %r0, 0
            exit
            """, [], [Values]);
        Assert.Equal(new AccessProof(false, AccessRegions.None, UnprovenReason.NotMemory), ProofOf(result, 11, 1));
    }

    [Fact]
    public void An_inner_maps_key_is_not_proven_and_the_outer_maps_is()
    {
        var result = Verify("""
            stw [%r10-4], 0
            mov %r2, %r10
            add %r2, -4
            lddw %r1, map_fd 1
            call 1
            jeq %r0, 0, +4
            mov %r1, %r0
            mov %r2, %r10
            add %r2, -4
            call 1
            mov %r0, 0
            exit
            """, [], [Values, Outer]);
        Assert.True(ProofOf(result, 5, 2).Proven);
        Assert.Equal(new AccessProof(false, AccessRegions.None, UnprovenReason.SizeNotTheHelpers), ProofOf(result, 10, 2));
    }

    private const string PacketKeyLookup = """
        ldxw %r2, [%r1+0]
        ldxw %r3, [%r1+4]
        mov %r4, %r2
        add %r4, 4
        jgt %r4, %r3, +3
        lddw %r1, map_fd 0
        call 1
        mov %r0, 0
        exit
        """;

    [Fact]
    public void A_packet_key_is_proven_only_where_the_type_runs_on_a_real_packet()
    {
        var onPacket = Verify(PacketKeyLookup, [], [Sessions]);
        Assert.Equal(new AccessProof(true, AccessRegions.Packet), ProofOf(onPacket, 7, 2));

        var onCallerBytes = Verify(PacketKeyLookup, [], [Sessions], context: new ContextLayout(24, 0, 4, 8) { RunsOnPacket = false });
        Assert.False(ProofOf(onCallerBytes, 7, 2).Proven);
    }

    [Fact]
    public void A_rejected_program_has_no_argument_proofs()
    {
        var result = Verify("""
            mov %r2, %r10
            add %r2, -2
            lddw %r1, map_fd 0
            call 1
            mov %r0, 0
            exit
            """, [], [Values]);
        Assert.False(result.Accepted);
        Assert.Empty(result.HelperArgumentProofs);
    }
}

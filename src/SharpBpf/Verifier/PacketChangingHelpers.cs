using System.Collections.Frozen;

namespace SharpBpf.Verifier;

/// <summary>
/// Helpers that may move or reallocate the packet (the kernel's bpf_helper_changes_pkt_data): after a call to one of
/// them every packet, meta and packet-end pointer the program holds is a number, and must be reloaded from the context.
/// Measured on Linux 6.18 for the TC and XDP helpers (a pointer kept across the call reads as "invalid mem access
/// 'scalar'"); the sk_msg, lwt and sock_ops ones are taken from the same kernel list.
/// </summary>
internal static class PacketChangingHelpers
{
    private static readonly FrozenSet<int> Ids = new[]
    {
        9,   // skb_store_bytes
        10,  // l3_csum_replace
        11,  // l4_csum_replace
        13,  // clone_redirect
        18,  // skb_vlan_push
        19,  // skb_vlan_pop
        31,  // skb_change_proto
        38,  // skb_change_tail
        39,  // skb_pull_data
        43,  // skb_change_head
        44,  // xdp_adjust_head
        50,  // skb_adjust_room
        54,  // xdp_adjust_meta
        63,  // msg_pull_data
        65,  // xdp_adjust_tail
        73,  // lwt_push_encap
        74,  // lwt_seg6_store_bytes
        75,  // lwt_seg6_adjust_srh
        76,  // lwt_seg6_action
        90,  // msg_push_data
        91,  // msg_pop_data
        143, // store_hdr_opt
    }.ToFrozenSet();

    public static bool Contains(int helperId) => Ids.Contains(helperId);

    /// <summary>The kernel's clear_all_pkt_pointers: every packet pointer, in every frame and stack slot, becomes a number.</summary>
    public static void Invalidate(VerifierState state) =>
        state.Update(value => value.IsPacketAny() ? RegisterValue.UnknownScalar : value);
}

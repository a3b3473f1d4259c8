namespace SharpBpf.Helpers;

/// <summary>Which kernel structure a packet context stands for; helpers such as bpf_redirect behave differently per kind.</summary>
internal enum PacketContextKind
{
    /// <summary><c>struct xdp_buff</c> (XDP programs).</summary>
    Xdp,
    /// <summary><c>struct sk_buff</c> seen by tc (sched_cls/sched_act) programs.</summary>
    TrafficControl,
    /// <summary><c>struct sk_buff</c> seen by socket filters (data starts at the network header).</summary>
    SocketFilter,
}

/// <summary>Where bpf_redirect / bpf_redirect_map sent the packet; the run's verdict record.</summary>
/// <param name="IfIndex">The target interface for bpf_redirect; for redirect_map the u32 at the start of the map value found, when it has one.</param>
/// <param name="MapId">The map of a bpf_redirect_map (0 for bpf_redirect).</param>
/// <param name="Key">The key given to bpf_redirect_map.</param>
/// <param name="Flags">The flags the program passed.</param>
internal readonly record struct PacketRedirect(uint IfIndex, uint MapId, uint Key, ulong Flags);

/// <summary>
/// The packet of a run, as packet helpers see it. The runtime implements it over its packet buffer and the program's
/// context struct: when a helper moves <see cref="Data"/>, <see cref="DataEnd"/> or <see cref="DataMeta"/>, the
/// implementation updates whatever the program reads back (the context's data/data_end/data_meta fields).
/// Addresses are real addresses in the run's native memory, in this order:
/// <c>BufferStart ≤ DataMeta ≤ Data ≤ DataEnd ≤ BufferEnd</c>.
/// The helpers find it as the run's <see cref="HelperCallContext.HostState"/> (or through
/// <see cref="IPacketContextProvider"/>). Packet memory accessibility is the runtime's business: it should make
/// <c>[BufferStart, BufferEnd)</c> a read-write region of the run, since helpers move the bounds within it.
/// </summary>
internal interface IPacketContext
{
    PacketContextKind Kind { get; }

    /// <summary><c>data_hard_start</c>: the start of the headroom.</summary>
    nint BufferStart { get; }

    /// <summary>
    /// The highest address <see cref="DataEnd"/> may reach (the kernel's <c>xdp_data_hard_end</c>: the frame's end
    /// less the tailroom it reserves for <c>skb_shared_info</c>).
    /// </summary>
    nint BufferEnd { get; }

    nint Data { get; set; }
    nint DataEnd { get; set; }

    /// <summary>Start of the metadata in front of <see cref="Data"/>; equal to <see cref="Data"/> when there is none.</summary>
    nint DataMeta { get; set; }

    /// <summary>False where the kernel's driver has no metadata support (bpf_xdp_adjust_meta then gives -ENOTSUPP).</summary>
    bool SupportsMetadata { get; }

    /// <summary>Set by bpf_redirect / bpf_redirect_map when they return the redirect verdict.</summary>
    PacketRedirect? Redirect { get; set; }
}

/// <summary>A run state that carries a packet context without being one (the helpers look for either).</summary>
internal interface IPacketContextProvider
{
    IPacketContext? PacketContext { get; }
}

namespace SharpBpf.Helpers;

/// <summary>
/// The <c>struct sk_buff</c> of a tc, socket filter or cgroup_skb test run as the skb helpers see it: the packet
/// (as <see cref="IPacketContext"/>), the <c>__sk_buff</c> the program reads its fields from, and the state of the
/// kernel's skb that the UAPI struct does not show (checksum state, tunnel metadata, encapsulation).
/// Offsets the helpers take are from <see cref="IPacketContext.Data"/> (skb->data), as in the kernel.
/// </summary>
internal interface ISkbContext : IPacketContext
{
    /// <summary>The <c>__sk_buff</c> bytes the program reads (len, protocol, vlan_*, hash, tstamp, …); helpers that change the skb write here.</summary>
    Span<byte> Fields { get; }

    /// <summary>What the kernel's skb holds beyond <see cref="Fields"/>.</summary>
    SkbState State { get; }

    /// <summary>
    /// Opens <paramref name="count"/> zeroed bytes at <paramref name="offset"/> from skb->data (the bytes before it move
    /// towards the head, as <c>skb_push</c> does) or, for a negative count, removes that many bytes there. False when
    /// the result would not fit the buffer; nothing changes then.
    /// </summary>
    bool Resize(int offset, int count);

    /// <summary>Trims or zero-extends the packet to <paramref name="length"/> bytes from skb->data; false when it does not fit.</summary>
    bool SetLength(int length);
}

/// <summary>The parts of a kernel skb a test run starts with cleared and the skb helpers change.</summary>
internal sealed class SkbState
{
    /// <summary>ip_summed is CHECKSUM_UNNECESSARY with this csum_level, or null for CHECKSUM_NONE (what a test run starts with).</summary>
    public int? ChecksumUnnecessaryLevel { get; set; }

    /// <summary>skb->encapsulation: set by bpf_skb_adjust_room with an encapsulation flag.</summary>
    public bool Encapsulation { get; set; }

    /// <summary>skb->sw_hash: the hash was set by bpf_set_hash and is not recomputed.</summary>
    public bool SoftwareHash { get; set; }

    /// <summary>The cookie bpf_get_socket_cookie gave the run's socket (0 until asked).</summary>
    public ulong SocketCookie { get; set; }

    /// <summary>The transmit tunnel metadata bpf_skb_set_tunnel_key attached, or null.</summary>
    public TunnelMetadata? Tunnel { get; set; }
}

/// <summary>The tunnel key (in the helper's own layout) and options a program attached with bpf_skb_set_tunnel_key/opt.</summary>
internal sealed class TunnelMetadata
{
    public bool IsIpv6 { get; init; }
    public uint TunnelId { get; init; }
    /// <summary>The destination (the key's remote address), 4 or 16 bytes as the program gave them.</summary>
    public byte[] Remote { get; init; } = [];
    /// <summary>The source (the key's local address).</summary>
    public byte[] Local { get; init; } = [];
    public byte Tos { get; init; }
    public byte Ttl { get; init; }
    public uint Label { get; init; }
    /// <summary>The kernel's tunnel flags as bpf_skb_get_tunnel_key reports them with BPF_F_TUNINFO_FLAGS (network order).</summary>
    public ushort Flags { get; init; }
    public byte[] Options { get; set; } = [];
}

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// bpf_sk_lookup_tcp, bpf_sk_lookup_udp, bpf_skc_lookup_tcp and bpf_sk_release in a test run. SharpBpf's network
/// (<see cref="NetworkHost"/>) has routes and devices but no sockets, so every lookup finds nothing and returns NULL,
/// as Linux's test run does for a tuple no socket of the run's network namespace owns (and for a tuple of the wrong
/// size or unknown flags). The verifier (Analysis.Sockets.cs) tracks the references these would hand out; release is
/// only reachable with a referenced, non-NULL socket, which no run can get, and returns 0 as the kernel's does.
/// The only socket a run has is the skb test run's own (<c>__sk_buff.sk</c>, PacketContext's TestRunSocket): an
/// unconnected socket of no family and no protocol in state TCP_CLOSE, as Linux's test run makes it (measured). The
/// casts answer for it as Linux does: it is a full socket, neither TCP nor UDP nor listening, so every other cast is NULL.
/// </summary>
internal static class SocketHelpers
{
    /// <summary>The helpers here: they have no <see cref="HelperSignature"/>, the verifier's socket model judges them.</summary>
    public static IReadOnlySet<HelperId> Ids { get; } =
        new HashSet<HelperId>
        {
            HelperId.SkLookupTcp, HelperId.SkLookupUdp, HelperId.SkcLookupTcp, HelperId.SkRelease, HelperId.SkFullsock,
            HelperId.TcpSock, HelperId.GetListenerSock, HelperId.SkcToTcp6Sock, HelperId.SkcToTcpSock,
            HelperId.SkcToTcpTimewaitSock, HelperId.SkcToTcpRequestSock, HelperId.SkcToUdp6Sock,
        };

    public static ulong LookupFindsNothing(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => 0;

    /// <summary>bpf_sk_fullsock: a socket in TCP_CLOSE is full, so the test run's socket is its own full socket.</summary>
    public static ulong FullSocket(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => r1;

    /// <summary>bpf_tcp_sock, bpf_get_listener_sock and bpf_skc_to_*: the test run's socket is not TCP, UDP or listening.</summary>
    public static ulong NoSuchKind(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => 0;

    public static ulong Release(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => 0;
}

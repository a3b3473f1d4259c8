namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// bpf_sk_lookup_tcp, bpf_sk_lookup_udp, bpf_skc_lookup_tcp and bpf_sk_release in a test run. SharpBpf's network
/// (<see cref="NetworkHost"/>) has routes and devices but no sockets, so every lookup finds nothing and returns NULL,
/// as Linux's test run does for a tuple no socket of the run's network namespace owns (and for a tuple of the wrong
/// size or unknown flags). The verifier (Analysis.Sockets.cs) tracks the references these would hand out; release is
/// only reachable with a referenced, non-NULL socket, which no run can get, and returns 0 as the kernel's does.
/// </summary>
internal static class SocketHelpers
{
    /// <summary>The helpers here: they have no <see cref="HelperSignature"/>, the verifier's socket model judges them.</summary>
    public static IReadOnlySet<HelperId> Ids { get; } =
        new HashSet<HelperId> { HelperId.SkLookupTcp, HelperId.SkLookupUdp, HelperId.SkcLookupTcp, HelperId.SkRelease };

    public static ulong LookupFindsNothing(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => 0;

    public static ulong Release(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => 0;
}

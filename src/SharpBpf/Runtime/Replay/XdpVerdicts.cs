namespace SharpBpf.Runtime.Replay;

/// <summary>The five XDP actions by number, as the kernel's enum xdp_action numbers them.</summary>
public static class XdpVerdicts
{
    /// <summary>The action names, indexed by action number.</summary>
    public static IReadOnlyList<string> Names { get; } = ["XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT"];

    /// <summary><c>XDP_PASS</c>: the packet goes on to the network stack.</summary>
    public const int Pass = 2;
    /// <summary><c>XDP_TX</c>: the packet is sent back out of the interface it came in on.</summary>
    public const int Tx = 3;

    /// <summary>
    /// The action a return value counts as. A value past XDP_REDIRECT is not an action: the kernel warns
    /// (bpf_warn_invalid_xdp_action) and treats the packet as aborted, and so does the count.
    /// </summary>
    public static int Classify(ulong returnValue) => returnValue < (ulong)Names.Count ? (int)returnValue : 0;
}

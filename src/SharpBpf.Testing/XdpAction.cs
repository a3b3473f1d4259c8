namespace SharpBpf.Testing;

/// <summary>The kernel's enum xdp_action.</summary>
public enum XdpAction : uint
{
    /// <summary>An error: the packet is dropped and a trace event raised.</summary>
    Aborted = 0,

    /// <summary>The packet is dropped.</summary>
    Drop = 1,

    /// <summary>The packet goes on to the network stack.</summary>
    Pass = 2,

    /// <summary>The packet is sent back out of the interface it came in on.</summary>
    Tx = 3,

    /// <summary>The packet goes where a redirect helper pointed it.</summary>
    Redirect = 4,
}

namespace SharpBpf.Testing;

/// <summary>The kernel's enum xdp_action.</summary>
public enum XdpAction : uint
{
    Aborted = 0,
    Drop = 1,
    Pass = 2,
    Tx = 3,
    Redirect = 4,
}

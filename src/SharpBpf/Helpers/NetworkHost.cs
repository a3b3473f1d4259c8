using System.Collections.Immutable;
using System.Net;

namespace SharpBpf.Helpers;

/// <summary>
/// The network a test run sees, for the helpers that ask the kernel about it (bpf_fib_lookup, bpf_check_mtu,
/// bpf_redirect*, bpf_get_netns_cookie, the cgroup ids). The default is what a test run in a fresh network namespace
/// finds: only the loopback device (ifindex 1, MTU 65536, forwarding off), no routes, the root cgroup.
/// </summary>
public sealed class NetworkHost
{
    /// <summary>The fresh-namespace host: loopback only, no routes, the root cgroup.</summary>
    public static NetworkHost Default { get; } = new();

    /// <summary>The devices by ifindex. A test run's skb and xdp frame arrive on ifindex 1.</summary>
    public ImmutableArray<NetworkInterface> Interfaces { get; init; } = [new NetworkInterface(1, 65536, Forwarding: false)];

    /// <summary>The main routing table bpf_fib_lookup searches (longest prefix first).</summary>
    public ImmutableArray<Route> Routes { get; init; } = [];

    /// <summary>Neighbour entries (the ARP/NDP cache): which MAC answers for a next hop on a device.</summary>
    public ImmutableArray<Neighbour> Neighbours { get; init; } = [];

    /// <summary>What bpf_get_netns_cookie returns (the network namespace's cookie).</summary>
    public ulong NetnsCookie { get; init; } = 1;

    /// <summary>The cgroup v2 id of the test run's socket (bpf_skb_cgroup_id); 1 is the root cgroup.</summary>
    public ulong CgroupId { get; init; } = 1;

    /// <summary>The device with index <paramref name="ifIndex"/>, or null when the host has none.</summary>
    public NetworkInterface? Interface(uint ifIndex) => Interfaces.FirstOrDefault(i => i.IfIndex == ifIndex);
}

/// <summary>A network device: its ifindex, MTU, whether IP forwarding is on, and its MAC address.</summary>
public sealed record NetworkInterface(uint IfIndex, uint Mtu, bool Forwarding, ImmutableArray<byte> Mac = default)
{
    /// <summary>The device's link-layer header length (Ethernet).</summary>
    public const int HardHeaderLength = 14;
}

/// <summary>A route: destination prefix, output device, gateway (null for a directly connected prefix).</summary>
public sealed record Route(IPAddress Destination, int PrefixLength, uint IfIndex, IPAddress? Gateway = null, IPAddress? PreferredSource = null);

/// <summary>A neighbour entry: the MAC address of <paramref name="Address"/> on device <paramref name="IfIndex"/>.</summary>
public sealed record Neighbour(IPAddress Address, uint IfIndex, ImmutableArray<byte> Mac);

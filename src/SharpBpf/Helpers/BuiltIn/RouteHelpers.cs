using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// The helpers that ask the host's network: bpf_fib_lookup, bpf_check_mtu, bpf_redirect_neigh, bpf_redirect_peer,
/// bpf_clone_redirect and bpf_xdp_get_buff_len, answered from <see cref="HelperEnvironment.Network"/> with the
/// return codes Linux 6.18 gives (measured: a device with forwarding off answers FWD_DISABLED before any route
/// is looked at; an unknown device is -ENODEV; a family other than AF_INET/AF_INET6 is -EAFNOSUPPORT).
/// </summary>
internal sealed class RouteHelpers(HelperEnvironment environment)
{
    /// <summary>sizeof(struct bpf_fib_lookup).</summary>
    private const int FibParamsSize = 64;
    private const int FamilyAt = 0, TotalLengthAt = 6, IfIndexAt = 8, MetricAt = 12, Ipv4DestinationAt = 32, Ipv6DestinationAt = 32;
    private const int SourceMacAt = 52, DestinationMacAt = 58;
    private const ulong FibDirect = 1, FibOutput = 2, FibSkipNeighbour = 4, FibTableId = 8, FibSource = 16, FibMark = 32;
    private const ulong FibSuccess = 0, FibNotForwarded = 4, FibForwardingDisabled = 5, FibNoNeighbour = 7, FibFragmentationNeeded = 8;
    private const byte AfInet = 2, AfInet6 = 10;
    private const ulong MtuCheckSegments = 1;
    private const ulong MtuFragmentationNeeded = 1;
    private const ulong FlagIngress = 1;

    public ulong FibLookup(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var packet = HelperErrors.Packet(context, "bpf_fib_lookup");
        var parameters = context.GetMemory(r2, (uint)r3, MemoryAccess.ReadWrite);
        if (parameters.Length < FibParamsSize || (r4 & ~(FibDirect | FibOutput | FibSkipNeighbour | FibTableId | FibSource | FibMark)) != 0)
        {
            return HelperErrors.Einval;
        }

        var family = parameters[FamilyAt];
        if (family is not (AfInet or AfInet6)) return HelperErrors.Result(Maps.Errno.EAFNOSUPPORT);
        var network = environment.Network;
        if (network.Interface(BinaryPrimitives.ReadUInt32LittleEndian(parameters[IfIndexAt..])) is not { } device)
        {
            return HelperErrors.Result(Maps.Errno.ENODEV);
        }

        if (!device.Forwarding) return FibForwardingDisabled;
        var destination = family == AfInet
            ? new IPAddress(parameters.Slice(Ipv4DestinationAt, 4))
            : new IPAddress(parameters.Slice(Ipv6DestinationAt, 16));
        if (Lookup(network, destination) is not { } route || network.Interface(route.IfIndex) is not { } output)
        {
            return FibNotForwarded;
        }

        // XDP has no skb to check later, so the kernel compares tot_len with the route's MTU here.
        var totalLength = BinaryPrimitives.ReadUInt16LittleEndian(parameters[TotalLengthAt..]);
        if (packet.Kind == PacketContextKind.Xdp && totalLength > output.Mtu)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(parameters[TotalLengthAt..], (ushort)output.Mtu);
            return FibFragmentationNeeded;
        }

        var nextHop = route.Gateway ?? destination;
        if (route.Gateway is { } gateway && gateway.AddressFamily == AddressFamily.InterNetwork && family == AfInet)
        {
            gateway.GetAddressBytes().CopyTo(parameters[Ipv4DestinationAt..]);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(parameters[IfIndexAt..], output.IfIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(parameters[MetricAt..], 0);
        if (!output.Mac.IsDefault) output.Mac.AsSpan().CopyTo(parameters[SourceMacAt..]);
        if ((r4 & FibSkipNeighbour) != 0) return FibSuccess;
        var neighbour = network.Neighbours.FirstOrDefault(n => n.IfIndex == output.IfIndex && n.Address.Equals(nextHop));
        if (neighbour is null) return FibNoNeighbour;
        neighbour.Mac.AsSpan().CopyTo(parameters[DestinationMacAt..]);
        return FibSuccess;
    }

    private static Route? Lookup(NetworkHost network, IPAddress destination)
    {
        Route? best = null;
        foreach (var route in network.Routes)
        {
            if (route.Destination.AddressFamily == destination.AddressFamily && Matches(route, destination)
                && (best is null || route.PrefixLength > best.PrefixLength))
            {
                best = route;
            }
        }

        return best;
    }

    private static bool Matches(Route route, IPAddress destination)
    {
        var prefix = route.Destination.GetAddressBytes();
        var address = destination.GetAddressBytes();
        for (var bit = 0; bit < route.PrefixLength; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((prefix[bit / 8] & mask) != (address[bit / 8] & mask)) return false;
        }

        return true;
    }

    /// <summary>
    /// (ctx, ifindex, mtu_len*, len_diff, flags): ifindex 0 is the receiving device; the length checked is *mtu_len
    /// (an L3 length) when non-zero, the packet otherwise, plus len_diff; *mtu_len gets the device's MTU.
    /// </summary>
    public ulong CheckMtu(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var packet = HelperErrors.Packet(context, "bpf_check_mtu");
        var mtuLength = context.GetMemory(r3, sizeof(uint), MemoryAccess.ReadWrite);
        var allowedFlags = packet.Kind == PacketContextKind.Xdp ? 0 : MtuCheckSegments;
        if ((r5 & ~allowedFlags) != 0) return HelperErrors.Einval;
        var ifIndex = (uint)r2 == 0 ? 1u : (uint)r2;
        if (environment.Network.Interface(ifIndex) is not { } device) return HelperErrors.Result(Maps.Errno.ENODEV);
        var given = BinaryPrimitives.ReadUInt32LittleEndian(mtuLength);
        var length = (given != 0 ? given + NetworkInterface.HardHeaderLength : packet.DataEnd - packet.Data) + (int)(uint)r4;
        BinaryPrimitives.WriteUInt32LittleEndian(mtuLength, device.Mtu);
        return length > device.Mtu + NetworkInterface.HardHeaderLength ? MtuFragmentationNeeded : 0;
    }

    /// <summary>(ifindex, params, plen, flags): TC_ACT_REDIRECT, or TC_ACT_SHOT for flags or params without a length.</summary>
    public static ulong RedirectNeighbour(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var packet = HelperErrors.Packet(context, "bpf_redirect_neigh");
        if (r4 != 0 || (r2 == 0) != ((uint)r3 == 0)) return PacketHelpers.TcActShot;
        packet.Redirect = new PacketRedirect((uint)r1, 0, 0, r4);
        return PacketHelpers.TcActRedirect;
    }

    /// <summary>(ifindex, flags): TC_ACT_REDIRECT, or TC_ACT_SHOT for any flag.</summary>
    public static ulong RedirectPeer(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var packet = HelperErrors.Packet(context, "bpf_redirect_peer");
        if (r2 != 0) return PacketHelpers.TcActShot;
        packet.Redirect = new PacketRedirect((uint)r1, 0, 0, r2);
        return PacketHelpers.TcActRedirect;
    }

    /// <summary>(skb, ifindex, flags): 0 once a copy went to an existing device; -EINVAL for other flags or an unknown device.</summary>
    public ulong CloneRedirect(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        _ = SkbAccess.Skb(context, "bpf_clone_redirect");
        if ((r3 & ~FlagIngress) != 0 || environment.Network.Interface((uint)r2) is null) return HelperErrors.Einval;
        return 0;
    }

    /// <summary>The frame's length (a linear frame: data_end - data).</summary>
    public static ulong XdpGetBuffLen(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var packet = HelperErrors.Packet(context, "bpf_xdp_get_buff_len");
        return (ulong)(packet.DataEnd - packet.Data);
    }
}

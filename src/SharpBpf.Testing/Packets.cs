using System.Net;
using System.Net.NetworkInformation;
using PacketDotNet;

namespace SharpBpf.Testing;

/// <summary>
/// Ethernet frames for tests, built with PacketDotNet with every length and checksum right: <c>Packets.Udp("10.0.0.2:40000",
/// "10.0.0.53:53")</c>. Endpoints are <c>address:port</c> (IPv6 in brackets: <c>[fd00::1]:53</c>).
/// </summary>
public static class Packets
{
    private static readonly PhysicalAddress Source = PhysicalAddress.Parse("02-00-00-00-00-01");
    private static readonly PhysicalAddress Destination = PhysicalAddress.Parse("02-00-00-00-00-02");

    /// <summary>An Ethernet/IP/UDP frame from <paramref name="from"/> to <paramref name="to"/> carrying <paramref name="payload"/>.</summary>
    public static byte[] Udp(string from, string to, byte[]? payload = null)
    {
        var (source, sourcePort) = Endpoint(from);
        var (destination, destinationPort) = Endpoint(to);
        var udp = new UdpPacket(sourcePort, destinationPort) { PayloadData = payload ?? [] };
        return Frame(source, destination, udp);
    }

    /// <summary>An Ethernet/IP/TCP frame with the flags asked for (ACK by default) and <paramref name="payload"/>.</summary>
    public static byte[] Tcp(string from, string to, bool syn = false, bool ack = true, bool fin = false, bool rst = false, byte[]? payload = null)
    {
        var (source, sourcePort) = Endpoint(from);
        var (destination, destinationPort) = Endpoint(to);
        var tcp = new TcpPacket(sourcePort, destinationPort)
        {
            Synchronize = syn, Acknowledgment = ack, Finished = fin, Reset = rst, WindowSize = 65535, PayloadData = payload ?? [],
        };
        return Frame(source, destination, tcp);
    }

    /// <summary>An ICMP echo request (IPv4) from one address to another.</summary>
    public static byte[] Ping(string from, string to)
    {
        var icmp = new IcmpV4Packet(new PacketDotNet.Utils.ByteArraySegment(new byte[8])) { TypeCode = IcmpV4TypeCode.EchoRequest };
        var ip = new IPv4Packet(IPAddress.Parse(from), IPAddress.Parse(to)) { PayloadPacket = icmp, Protocol = PacketDotNet.ProtocolType.Icmp };
        icmp.UpdateIcmpChecksum();
        var ethernet = new EthernetPacket(Source, Destination, EthernetType.IPv4) { PayloadPacket = ip };
        ip.UpdateCalculatedValues();
        ip.UpdateIPChecksum();
        return ethernet.Bytes;
    }

    private static byte[] Frame(IPAddress source, IPAddress destination, TransportPacket transport)
    {
        IPPacket ip = source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? new IPv6Packet(source, destination)
            : new IPv4Packet(source, destination);
        ip.PayloadPacket = transport;
        var ethernet = new EthernetPacket(Source, Destination, ip is IPv6Packet ? EthernetType.IPv6 : EthernetType.IPv4) { PayloadPacket = ip };
        ip.UpdateCalculatedValues();
        if (ip is IPv4Packet v4) v4.UpdateIPChecksum();
        switch (transport)
        {
            case UdpPacket udp:
                udp.UpdateCalculatedValues();
                udp.UpdateUdpChecksum();
                break;
            case TcpPacket tcp:
                tcp.UpdateCalculatedValues();
                tcp.UpdateTcpChecksum();
                break;
        }

        return ethernet.Bytes;
    }

    private static (IPAddress Address, ushort Port) Endpoint(string text)
    {
        var endpoint = IPEndPoint.TryParse(text, out var parsed) && parsed.Port != 0
            ? parsed
            : throw new ArgumentException($"'{text}' is not an address:port endpoint", nameof(text));
        return (endpoint.Address, (ushort)endpoint.Port);
    }
}

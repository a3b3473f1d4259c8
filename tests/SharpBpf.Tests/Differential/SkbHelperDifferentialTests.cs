using SharpBpf.Runtime;
using SharpBpf.Tests.Kernel;
using static SharpBpf.Tests.Differential.RealWorldPackets;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// tc and XDP programs that use the skb, checksum, tunnel, resize and routing helpers (Data/realworld: tc_nat_lb,
/// tc_tunnel, xdp_route) run in Linux and in SharpBpf on the same packets: retval, data_out and every map must match
/// byte for byte.
/// </summary>
public class SkbHelperDifferentialTests
{
    public static TheoryData<EngineKind> Engines() => [EngineKind.Interpreter, EngineKind.Jit];

    [KernelTheory]
    [MemberData(nameof(Engines))]
    public void Load_balancer_rewrites_addresses_and_checksums_as_in_linux(EngineKind engine)
    {
        using var worlds = new RealWorldWorlds("tc_nat_lb.o", engine);
        // { addr, port, vlan }: slot 1 has no VLAN, slot 2 one tag, slot 3 two tags (the first moves into the packet).
        Assert.Equal(0, worlds.Update("backends", U32(1), Backend(0x0a010101, 8053, 0)));
        Assert.Equal(0, worlds.Update("backends", U32(2), Backend(0xc0a80a0a, 53, 12)));
        Assert.Equal(0, worlds.Update("backends", U32(3), Backend(0x08080808, 5353, 107)));
        foreach (var last in new byte[] { 1, 2, 3, 4, 5, 6, 7 })
        {
            foreach (var ecn in new byte[] { 0, 1, 2, 3 })
            {
                var packet = WithIpChecksum(Udp(10, 0, 0, last));
                packet[15] = ecn;
                worlds.Run("balance", WithIpChecksum(packet));
            }
        }

        // A UDP checksum of zero stays zero under BPF_F_MARK_MANGLED_0; a real one is updated.
        var withUdpChecksum = WithIpChecksum(Udp(10, 0, 0, 2));
        withUdpChecksum[40] = 0x12;
        withUdpChecksum[41] = 0x34;
        worlds.Run("balance", withUdpChecksum);
        worlds.AssertSameMaps();
    }

    [KernelTheory]
    [MemberData(nameof(Engines))]
    public void Tunnel_encap_decap_and_reshaping_run_as_in_linux(EngineKind engine)
    {
        using var worlds = new RealWorldWorlds("tc_tunnel.o", engine);
        worlds.Run("encap_ipip", WithIpChecksum(Udp(10, 0, 0, 9)));
        worlds.AssertSameMaps();
        worlds.Run("decap_ipip", IpInIp(WithIpChecksum(Udp(10, 0, 0, 9))));
        worlds.Run("decap_ipip", WithIpChecksum(Udp(10, 0, 0, 9)));
        worlds.AssertSameMaps();
        worlds.Run("reshape", WithIpChecksum(Udp(10, 0, 0, 9)));
        worlds.AssertSameMaps();
    }

    [KernelTheory]
    [MemberData(nameof(Engines))]
    public void Xdp_forwarder_asks_fib_and_mtu_as_in_linux(EngineKind engine)
    {
        using var worlds = new RealWorldWorlds("xdp_route.o", engine);
        worlds.Run("forward", WithIpChecksum(Udp(10, 0, 0, 9)));
        worlds.Run("forward", WithIpChecksum(Udp(127, 0, 0, 1)));
        worlds.AssertSameMaps();
    }

    private static byte[] Backend(uint address, ushort port, ushort vlan) =>
        [.. BitConverter.GetBytes(address), .. BitConverter.GetBytes(port), .. BitConverter.GetBytes(vlan)];

    private static byte[] WithIpChecksum(byte[] packet)
    {
        packet[24] = packet[25] = 0;
        uint sum = 0;
        for (var i = 14; i < 34; i += 2) sum += (uint)(packet[i] << 8 | packet[i + 1]);
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        packet[24] = (byte)(~sum >> 8);
        packet[25] = (byte)~sum;
        return packet;
    }

    /// <summary>The packet with an outer IPv4 header (protocol 4) between the Ethernet and the inner IP header.</summary>
    private static byte[] IpInIp(byte[] inner)
    {
        var outer = WithIpChecksum([.. inner[..14], 0x45, 0, 0, (byte)(inner.Length - 14 + 20), 0, 0, 0, 0, 64, 4, 0, 0, 192, 168, 0, 1, 192, 168, 0, 2]);
        return [.. outer, .. inner[14..]];
    }
}

using SharpBpf.Maps;
using SharpBpf.Runtime;
using SharpBpf.Tests.Kernel;
using static SharpBpf.Tests.Differential.RealWorldPackets;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// Programs shaped like XDP code in the wild (tests/SharpBpf.Tests/Data/realworld) run in Linux and in SharpBpf on
/// the same packets after the same host map updates: verdicts, data_out, host errno and every map as user space
/// reads it back (key order included) must be identical.
/// </summary>
public class RealWorldDifferentialTests
{
    public static TheoryData<EngineKind> Engines() => [EngineKind.Interpreter, EngineKind.Jit];

    [KernelTheory]
    [MemberData(nameof(Engines))]
    public void Lpm_blocklist_filters_as_in_linux(EngineKind engine)
    {
        using var worlds = new RealWorldWorlds("lpm_filter.o", engine);
        Assert.Equal(0, worlds.Update("blocklist", Prefix(8, 10, 0, 0, 0), U32(1)));
        Assert.Equal(0, worlds.Update("blocklist", Prefix(16, 10, 1, 0, 0), U32(2)));
        Assert.Equal(0, worlds.Update("blocklist", Prefix(32, 10, 1, 2, 3), U32(3)));
        Assert.Equal(0, worlds.Update("blocklist", Prefix(20, 192, 168, 16, 0), U32(4)));
        Assert.Equal(0, worlds.Update("blocklist", Prefix(0, 0, 0, 0, 0), U32(9)));
        Assert.Equal(-17, worlds.Update("blocklist", Prefix(8, 10, 9, 9, 9), U32(5), MapUpdateFlags.NoExist));
        Assert.Equal(-2, worlds.Update("blocklist", Prefix(24, 10, 9, 9, 9), U32(5), MapUpdateFlags.Exist));
        Assert.Equal(-22, worlds.Update("blocklist", Prefix(33, 10, 9, 9, 9), U32(5)));
        // Replacing an entry keeps its place but takes the new key bytes (past the prefix) and value.
        Assert.Equal(0, worlds.Update("blocklist", Prefix(16, 10, 1, 77, 77), U32(2), MapUpdateFlags.Exist));

        // With /0 present every address matches something; rule 9 catches the rest. Remove it via a delete in both.
        Assert.Equal(0, -(int)worlds.Ours.Maps["blocklist"].Delete(Prefix(0, 0, 0, 0, 0)));
        Assert.Equal(0, worlds.Kernel.Maps["blocklist"].Delete(Prefix(0, 0, 0, 0, 0)));

        byte[][] sources = [[10, 1, 2, 3], [10, 1, 2, 4], [10, 200, 0, 1], [192, 168, 31, 7], [192, 168, 32, 7],
            [172, 16, 0, 1], [172, 16, 0, 9], [172, 17, 5, 5], [8, 8, 8, 8], [1, 1, 1, 1], [9, 9, 9, 9], [10, 1, 2, 3]];
        foreach (var s in sources)
        {
            worlds.Run("lpm_filter", Udp(s[0], s[1], s[2], s[3]));
        }

        worlds.AssertSameMaps();
    }

    [KernelTheory]
    [MemberData(nameof(Engines))]
    public void Redirect_maps_steer_as_in_linux(EngineKind engine)
    {
        using var worlds = new RealWorldWorlds("redirect.o", engine);
        // Loopback (ifindex 1) exists in every network namespace; 999 does not.
        Assert.Equal(0, worlds.Update("ports", U32(1), [1, 0, 0, 0, 0, 0, 0, 0]));
        Assert.Equal(0, worlds.Update("ports", U32(3), [1, 0, 0, 0, 0, 0, 0, 0], MapUpdateFlags.Exist));
        Assert.Equal(0, worlds.Update("ports", U32(3), [0, 0, 0, 0, 0, 0, 0, 0]));
        Assert.Equal(-22, worlds.Update("ports", U32(2), [0xe7, 3, 0, 0, 0, 0, 0, 0]));
        Assert.Equal(-7, worlds.Update("ports", U32(8), [1, 0, 0, 0, 0, 0, 0, 0]));
        Assert.Equal(-17, worlds.Update("ports", U32(1), [1, 0, 0, 0, 0, 0, 0, 0], MapUpdateFlags.NoExist));
        Assert.Equal(0, worlds.Update("ports_by_id", U32(7), U32(1)));
        Assert.Equal(0, worlds.Update("ports_by_id", U32(15), U32(1)));
        Assert.Equal(0, worlds.Update("ports_by_id", U32(2), U32(1)));
        Assert.Equal(-22, worlds.Update("ports_by_id", U32(4), U32(0)));
        Assert.Equal(0, worlds.Update("cpus", U32(0), [64, 0, 0, 0, 0, 0, 0, 0]));
        Assert.Equal(-75, worlds.Update("cpus", U32(1), [1, 0x40, 0, 0, 0, 0, 0, 0]));
        Assert.Equal(-7, worlds.Update("cpus", U32(2), [64, 0, 0, 0, 0, 0, 0, 0]));
        Assert.Equal(-9, worlds.Update("sockets", U32(0), U32(0xffffffff)));

        string[] programs = ["to_port", "to_port_by_id", "to_cpu", "to_socket", "broadcast"];
        foreach (var program in programs)
        {
            for (byte slot = 0; slot < 9; slot++)
            {
                worlds.Run(program, Udp(10, 0, 0, 1, firstIpByte: slot));
            }
        }

        // XDP_REDIRECT is what the test run reports for a found entry.
        Assert.Equal($"retval 4, data_out {Convert.ToHexStringLower(WithByte15(Udp(10, 0, 0, 1, 1), 1))}", worlds.Run("to_port", Udp(10, 0, 0, 1, 1)));
        worlds.AssertSameMaps();
    }

    [KernelTheory]
    [MemberData(nameof(Engines))]
    public void Perf_event_output_without_a_reader_fails_as_in_linux(EngineKind engine)
    {
        using var worlds = new RealWorldWorlds("perf_counter.o", engine);
        worlds.Run("report", Udp(10, 0, 0, 1));
        worlds.Run("report", Udp(10, 0, 0, 2));
        worlds.AssertSameMaps();
    }

    [KernelTheory]
    [MemberData(nameof(Engines))]
    public void Bloom_filter_tells_new_from_repeated_sources_as_in_linux(EngineKind engine)
    {
        using var worlds = new RealWorldWorlds("bloom_seen.o", engine);
        byte[][] sources = [[10, 0, 0, 1], [10, 0, 0, 2], [10, 0, 0, 1], [192, 168, 1, 1], [10, 0, 0, 2], [10, 0, 0, 3]];
        foreach (var s in sources)
        {
            worlds.Run("classify", Udp(s[0], s[1], s[2], s[3]));
        }

        worlds.AssertSameMaps();
    }

    [KernelTheory]
    [MemberData(nameof(Engines))]
    public void Socket_and_storage_maps_load_and_read_as_in_linux(EngineKind engine)
    {
        using var worlds = new RealWorldWorlds("declared_maps.o", engine);
        worlds.Run("count_runs", Udp(10, 0, 0, 1));
        worlds.AssertSameMaps();
    }

    [KernelTheory]
    [MemberData(nameof(Engines))]
    public void Socket_lookups_find_no_socket_in_a_test_run_as_in_linux(EngineKind engine)
    {
        using var worlds = new RealWorldWorlds("sk_lookup.o", engine);
        foreach (var source in new byte[] { 1, 2, 77, 200 })
        {
            // To 10.0.0.1, a port no socket of a test machine is expected to own.
            var packet = Udp(10, 0, 0, source);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(36), 47999);
            Assert.Equal($"retval 2, data_out {Convert.ToHexStringLower(packet)}", worlds.Run("xdp_is_ours", packet));
            Assert.StartsWith("retval 0,", worlds.Run("tc_is_ours", packet), StringComparison.Ordinal);
        }

        worlds.AssertSameMaps();
    }

    /// <summary>
    /// __sk_buff.sk in a test run is the run's own socket, not NULL (measured): its fields, bpf_sk_fullsock of it, and
    /// the NULL of every other cast must be Linux's; a looked-up socket's casts never run (the lookup finds nothing).
    /// </summary>
    [KernelTheory]
    [MemberData(nameof(Engines))]
    public void Socket_casts_see_the_test_runs_socket_as_in_linux(EngineKind engine)
    {
        using var worlds = new RealWorldWorlds("sk_casts.o", engine);
        foreach (var source in new byte[] { 1, 9 })
        {
            var packet = Udp(10, 0, 0, source);
            Assert.StartsWith("retval 2,", worlds.Run("tc_by_socket", packet), StringComparison.Ordinal);
            Assert.StartsWith("retval 0,", worlds.Run("tc_lookup_cast", packet), StringComparison.Ordinal);
            worlds.Run("filter_by_socket", packet);
        }

        // An IPv6 frame (the socket takes family and addresses from it) and a frame of neither family.
        var ipv6 = new byte[14 + 40 + 8];
        ipv6[12] = 0x86; ipv6[13] = 0xdd; ipv6[14] = 0x60; ipv6[20] = 17;
        for (var i = 0; i < 32; i++) ipv6[22 + i] = (byte)(i + 1);
        var arp = new byte[60];
        arp[12] = 0x08; arp[13] = 0x06;
        foreach (var packet in new[] { ipv6, arp })
        {
            worlds.Run("tc_by_socket", packet);
            worlds.Run("filter_by_socket", packet);
        }

        worlds.AssertSameMaps();
    }

    private static byte[] WithByte15(byte[] packet, byte value)
    {
        packet[15] = value;
        return packet;
    }
}

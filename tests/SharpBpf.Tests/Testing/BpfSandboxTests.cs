using SharpBpf.Testing;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Testing;

/// <summary>The testing library's own promises: failures say what is there, as BTF types, and packets are real frames.</summary>
public class BpfSandboxTests
{
    private static readonly string Conntrack = Path.Combine(TestPaths.RepoRoot, "examples", "conntrack_timers.o");

    [Fact]
    public void A_missing_element_fails_showing_the_map_as_its_BTF_types()
    {
        using var bpf = BpfSandbox.Load(Conntrack);
        bpf.Xdp("track_connections", Packets.Udp("10.0.0.2:40000", "10.0.0.53:53"));

        var error = Assert.Throws<BpfAssertionException>(() => bpf.Maps["flows"].ShouldContain(new { src_addr = "10.9.9.9" }));

        Assert.Contains("flows has no element {src_addr=10.9.9.9, dst_addr=0.0.0.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("{src_addr=10.0.0.2, dst_addr=10.0.0.53, src_port=40000, dst_port=53, protocol=17, pad=[0, 0, 0]} => {idle_timer=<bpf_timer>, packets=1,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_mismatch_names_the_member_with_both_values()
    {
        using var bpf = BpfSandbox.Load(Conntrack);
        bpf.Xdp("track_connections", Packets.Udp("10.0.0.2:40000", "10.0.0.53:53"));
        var key = new { src_addr = "10.0.0.2", dst_addr = "10.0.0.53", src_port = 40000, dst_port = 53, protocol = 17 };

        var error = Assert.Throws<BpfAssertionException>(() => bpf.Maps["flows"].ShouldContain(key, new { packets = 5 }));

        Assert.Contains("packets is 1, expected 5", error.Message, StringComparison.Ordinal);
        Assert.Equal(1UL, bpf.Maps["flows"][key].Field("packets"));
        Assert.Equal("10.0.0.53", bpf.Maps["flows"].Entries.Single().ToString().Split("dst_addr=")[1].Split(',')[0]);
    }

    [Fact]
    public void Packets_are_well_formed_frames()
    {
        var udp = Packets.Udp("10.0.0.2:40000", "10.0.0.53:53", [1, 2, 3]);
        Assert.Equal(14 + 20 + 8 + 3, udp.Length);
        Assert.Equal((byte)0x08, udp[12]);
        Assert.Equal(17, udp[14 + 9]);
        var ip = udp.AsSpan(14, 20);
        Assert.Equal(0, OnesComplementSum(ip)); // a correct IPv4 header sums to 0xffff, i.e. complements to 0
        var v6 = Packets.Tcp("[fd00::1]:1234", "[fd00::2]:80", syn: true);
        Assert.Equal((byte)0x86, v6[12]);
        Assert.Equal(14 + 40 + 20, v6.Length);
    }

    [Fact]
    public void Time_passes_only_when_the_test_says_so()
    {
        using var bpf = BpfSandbox.Load(Conntrack);
        bpf.Xdp("track_connections", Packets.Udp("10.0.0.2:40000", "10.0.0.53:53"));
        var key = new { src_addr = "10.0.0.2", dst_addr = "10.0.0.53", src_port = 40000, dst_port = 53, protocol = 17 };

        bpf.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(TimeSpan.FromMilliseconds(1), bpf.ShouldHaveTimer("flows", key).DueIn);
        bpf.Advance(TimeSpan.FromMilliseconds(1));
        bpf.ShouldHaveNoTimer("flows", key);
        bpf.Maps["flows"].ShouldNotContain(key);
    }

    private static int OnesComplementSum(ReadOnlySpan<byte> header)
    {
        var sum = 0;
        for (var i = 0; i < header.Length; i += 2) sum += (header[i] << 8) | header[i + 1];
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        return ~sum & 0xffff;
    }
}

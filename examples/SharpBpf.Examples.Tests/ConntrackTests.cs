namespace SharpBpf.Examples.Tests;

/// <summary>conntrack_timers.c: a flow's bpf_timer deletes it after 1 s without packets.</summary>
public class ConntrackTests
{
    private static readonly object Dns = new { src_addr = "10.0.0.2", dst_addr = "10.0.0.53", src_port = 40000, dst_port = 53, protocol = 17 };

    [Fact]
    public void A_flow_lives_while_packets_come_and_expires_a_second_after_the_last()
    {
        using var bpf = BpfSandbox.Load("objects/conntrack_timers.o");
        var query = Packets.Udp("10.0.0.2:40000", "10.0.0.53:53", "hello"u8.ToArray());

        Assert.Equal(XdpAction.Pass, bpf.Xdp("track_connections", query));
        bpf.Advance(TimeSpan.FromMilliseconds(900));
        bpf.Xdp("track_connections", query);
        bpf.Maps["flows"].ShouldContain(Dns, new { packets = 2 });
        Assert.Equal(TimeSpan.FromSeconds(1), bpf.ShouldHaveTimer("flows", Dns).DueIn);

        bpf.Advance(TimeSpan.FromSeconds(1));
        bpf.Maps["flows"].ShouldBeEmpty();
        Assert.Equal(1UL, bpf.Maps["stats"][1].Field());   // STAT_EXPIRED
    }

    [Fact]
    public void A_flow_seeded_by_the_host_never_gets_a_timer_because_only_new_flows_init_one()
    {
        using var bpf = BpfSandbox.Load("objects/conntrack_timers.o");
        bpf.Maps["flows"].Set(Dns, new { packets = 41, bytes = 4100 });

        bpf.Xdp("track_connections", Packets.Udp("10.0.0.2:40000", "10.0.0.53:53"));

        // The program found the flow, so it skipped bpf_timer_init; bpf_timer_start on it fails (-EINVAL) and counts.
        bpf.Maps["flows"].ShouldContain(Dns, new { packets = 42 });
        bpf.ShouldHaveNoTimer("flows", Dns);
        Assert.Equal(1UL, bpf.Maps["stats"][2].Field());   // STAT_TIMER_ERRORS
        bpf.Advance(TimeSpan.FromMinutes(1));
        bpf.Maps["flows"].ShouldHaveCount(1);               // it never expires
    }
}

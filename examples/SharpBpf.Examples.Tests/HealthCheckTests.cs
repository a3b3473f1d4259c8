namespace SharpBpf.Examples.Tests;

/// <summary>health_check.c: a 100 ms periodic timer marks the service unhealthy after a window without packets.</summary>
public class HealthCheckTests
{
    [Fact]
    public void A_quiet_window_flips_healthy_off_and_traffic_flips_it_back()
    {
        using var bpf = BpfSandbox.Load("objects/health_check.o");
        var packet = Packets.Tcp("10.0.0.9:5000", "10.0.0.1:80", syn: true, ack: false);

        bpf.Xdp("count_and_check", packet);
        bpf.Advance(TimeSpan.FromMilliseconds(250));               // checks at 100 ms (1 packet) and 200 ms (none)
        bpf.Maps["health_state"].ShouldContain(0, new { healthy = 0, checks = 2, transitions = 1 });

        bpf.Xdp("count_and_check", packet);
        bpf.Advance(TimeSpan.FromMilliseconds(100));
        bpf.Maps["health_state"].ShouldContain(0, new { healthy = 1, checks = 3, transitions = 2 });
    }
}

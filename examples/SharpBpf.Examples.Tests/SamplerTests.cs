namespace SharpBpf.Examples.Tests;

/// <summary>sampler.c: every 100 ms the callback moves the counters into an 8-slot history ring.</summary>
public class SamplerTests
{
    [Fact]
    public void Each_interval_lands_in_the_next_history_slot()
    {
        using var bpf = BpfSandbox.Load("objects/sampler.o");
        var packet = Packets.Udp("10.0.0.7:1000", "10.0.0.8:2000", new byte[100]);

        for (var i = 0; i < 3; i++) bpf.Xdp("sample_traffic", packet);
        bpf.Advance(TimeSpan.FromMilliseconds(100));
        bpf.Xdp("sample_traffic", packet);
        bpf.Advance(TimeSpan.FromMilliseconds(100));

        bpf.Maps["history"].ShouldContain(0, new { packets = 3, bytes = 3 * packet.Length, sequence = 1 });
        bpf.Maps["history"].ShouldContain(1, new { packets = 1, sequence = 2 });
        bpf.Maps["sampler_state"].ShouldContain(0, new { packets = 0, samples = 2 });
    }
}

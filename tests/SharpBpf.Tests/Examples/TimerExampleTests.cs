using static SharpBpf.Tests.Examples.ExampleObjects;

namespace SharpBpf.Tests.Examples;

/// <summary>
/// The three timer examples, proven in virtual time: seconds of timer behaviour in milliseconds of real time, with
/// no sleeping. The same objects run in Linux in the kernel timer tests; examples/README.md records that run.
/// </summary>
public class TimerExampleTests
{
    private const int Created = 0, Expired = 1, TimerErrors = 2;

    [Fact]
    public void Conntrack_expires_idle_flows_and_keeps_busy_ones()
    {
        var (obj, clock) = Load("conntrack_timers.o");
        using var _ = obj;
        var program = obj.Programs["track_connections"];
        var flows = obj.Maps["flows"];
        var stats = obj.Maps["stats"];

        Assert.Equal(2u, program.Run(Packet("ipv4_udp.bin")).ReturnValue);
        Assert.Equal(2u, program.Run(Packet("ipv4_tcp.bin")).ReturnValue);
        Assert.Equal(2, flows.Keys().Count);
        Assert.Equal(2ul, U64(Value(stats, Created), 0));
        Assert.Equal(2, obj.Timers.GetTimers().Count);

        // The UDP flow sees another packet at 600 ms: its idle timer restarts, the TCP flow's does not.
        clock.Advance(Ms(600));
        program.Run(Packet("ipv4_udp.bin"));
        clock.Advance(Ms(399));
        Assert.Equal(2, flows.Keys().Count);

        clock.Advance(Ms(1));
        Assert.Single(flows.Keys());
        Assert.Equal(1ul, U64(Value(stats, Expired), 0));
        var survivor = Value(flows, flows.Keys()[0]);
        Assert.Equal(2ul, U64(survivor, 16));
        Assert.True(survivor.AsSpan(0, 16).IndexOfAnyExcept((byte)0) < 0, "the timer bytes read as zero from user space");

        clock.Advance(Ms(600));
        Assert.Empty(flows.Keys());
        Assert.Equal(2ul, U64(Value(stats, Expired), 0));
        Assert.Equal(0ul, U64(Value(stats, TimerErrors), 0));
        Assert.Empty(obj.Timers.GetTimers());
    }

    [Fact]
    public void Health_check_rearms_every_interval_and_flips_its_flag()
    {
        var (obj, clock) = Load("health_check.o");
        using var _ = obj;
        var program = obj.Programs["count_and_check"];
        var state = obj.Maps["health_state"];
        const int Healthy = 16, PacketsInWindow = 24, Checks = 32, Transitions = 40;

        program.Run(Packet("ipv4_udp.bin"));
        program.Run(Packet("ipv4_tcp.bin"));
        Assert.Equal(1u, U32(Value(state, 0), Healthy));
        Assert.Equal(2ul, U64(Value(state, 0), PacketsInWindow));

        clock.Advance(Ms(100));
        var first = Value(state, 0);
        Assert.Equal((1u, 1ul, 0ul, 0ul), (U32(first, Healthy), U64(first, Checks), U64(first, Transitions), U64(first, PacketsInWindow)));

        clock.Advance(Ms(100));
        var second = Value(state, 0);
        Assert.Equal((0u, 2ul, 1ul), (U32(second, Healthy), U64(second, Checks), U64(second, Transitions)));

        program.Run(Packet("ipv4_udp.bin"));
        clock.Advance(Ms(100));
        Assert.Equal((1u, 3ul, 2ul), (U32(Value(state, 0), Healthy), U64(Value(state, 0), Checks), U64(Value(state, 0), Transitions)));

        clock.Advance(Ms(1000));
        var later = Value(state, 0);
        Assert.Equal((0u, 13ul, 3ul), (U32(later, Healthy), U64(later, Checks), U64(later, Transitions)));
        Assert.Single(obj.Timers.GetTimers());
    }

    [Fact]
    public void Sampler_folds_counters_into_its_history_every_interval()
    {
        var (obj, clock) = Load("sampler.o");
        using var _ = obj;
        var program = obj.Programs["sample_traffic"];
        var history = obj.Maps["history"];
        var packet = Packet("ipv4_udp.bin");

        program.Run(packet);
        program.Run(packet);
        clock.Advance(Ms(100));
        var first = Value(history, 0);
        Assert.Equal((2ul, (ulong)(2 * packet.Length), 1ul), (U64(first, 0), U64(first, 8), U64(first, 16)));

        clock.Advance(Ms(100));
        Assert.Equal((0ul, 0ul, 2ul), (U64(Value(history, 1), 0), U64(Value(history, 1), 8), U64(Value(history, 1), 16)));

        // Ten intervals in all: the ring of eight wrapped, so slot 0 holds sample 9 and slot 1 sample 10.
        clock.Advance(Ms(800));
        Assert.Equal(9ul, U64(Value(history, 0), 16));
        Assert.Equal(10ul, U64(Value(history, 1), 16));
    }

    [Fact]
    public void Releasing_the_maps_stops_every_timer_as_closing_the_last_fd_does()
    {
        var (obj, clock) = Load("health_check.o");
        using var _ = obj;
        obj.Programs["count_and_check"].Run(Packet("ipv4_udp.bin"));
        Assert.Single(obj.Timers.GetTimers());

        obj.ReleaseMaps();
        Assert.Empty(obj.Timers.GetTimers());
        var checks = U64(Value(obj.Maps["health_state"], 0), 32);
        clock.Advance(Ms(1000));
        Assert.Equal(checks, U64(Value(obj.Maps["health_state"], 0), 32));
    }
}

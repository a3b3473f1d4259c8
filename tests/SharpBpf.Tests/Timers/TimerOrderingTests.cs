using SharpBpf.Time;
using SharpBpf.Timers;

namespace SharpBpf.Tests.Timers;

/// <summary>Fire order in virtual time (deadline, then arming order) and the scheduler at a million timers. How fast
/// it is at that size is measured in bench/ (TimerBigAdvanceBenchmarks, the <c>virtual</c> mode), not here.</summary>
public sealed class TimerOrderingTests
{
    private const long Ms = 1_000_000;

    [Fact]
    public void Equal_deadlines_fire_in_arming_order_and_rearming_moves_a_timer_to_the_back()
    {
        using var f = new TimerFixture();
        for (var i = 0; i < 5; i++) f.Ready(i);
        foreach (var i in new[] { 3, 1, 4, 0, 2 }) f.Service.Start(f.Map.Timer(i), Ms, 0);
        f.Service.Start(f.Map.Timer(3), Ms, 0); // re-armed for the same instant: now last
        f.Clock.Advance(Ms);
        Assert.Equal(["cb1", "cb4", "cb0", "cb2", "cb3"], f.Fired());
    }

    [Fact]
    public void Deadline_order_wins_over_arming_order()
    {
        using var f = new TimerFixture();
        for (var i = 0; i < 4; i++) f.Ready(i);
        f.Service.Start(f.Map.Timer(0), 4 * Ms, 0);
        f.Service.Start(f.Map.Timer(1), 2 * Ms, 0);
        f.Service.Start(f.Map.Timer(2), 3 * Ms, 0);
        f.Service.Start(f.Map.Timer(3), 1 * Ms, 0);
        Assert.Equal(4, f.Clock.Advance(10 * Ms));
        Assert.Equal(["cb3", "cb1", "cb2", "cb0"], f.Fired());
        Assert.Equal([1000 * 1000 + 1_000_000_000L, 2_000_000 + 1_000_000_000L, 3_000_000 + 1_000_000_000L, 4_000_000 + 1_000_000_000L],
            f.Log.Select(r => r.MonotonicNow).ToArray());
    }

    [Fact]
    public void Ties_across_clocks_are_broken_by_the_global_arming_order()
    {
        using var f = new TimerFixture();
        f.Ready(0, "real", clock: 0);
        f.Ready(1, "mono", clock: 1);
        f.Ready(2, "boot", clock: 7);
        var instant = f.Clock.Now + Ms;
        f.Service.Start(f.Map.Timer(2), (ulong)f.Clock.ToClock(ClockId.Boottime, instant), TimerStartFlags.Absolute);
        f.Service.Start(f.Map.Timer(0), (ulong)f.Clock.ToClock(ClockId.Realtime, instant), TimerStartFlags.Absolute);
        f.Service.Start(f.Map.Timer(1), Ms, 0);
        Assert.Equal(3, f.Clock.Advance(Ms));
        Assert.Equal(["boot", "real", "mono"], f.Fired());
        Assert.All(f.Log, r => Assert.Equal(instant, r.MonotonicNow));
    }

    [Fact]
    public void Timers_armed_during_an_advance_fire_in_the_same_advance_after_those_already_due()
    {
        using var f = new TimerFixture();
        var a = f.Ready(0, "a");
        f.Ready(1, "b");
        f.Ready(2, "c");
        a.Body = (_, _, _) =>
        {
            f.Service.Start(f.Map.Timer(2), 0, 0);      // due now: after b, which was queued first
            f.Service.Start(f.Map.Timer(0), 3 * Ms, 0); // a again, later in this advance
        };
        a.Body += (_, _, _) => a.Body = null;
        f.Service.Start(f.Map.Timer(0), Ms, 0);
        f.Service.Start(f.Map.Timer(1), Ms, 0);
        Assert.Equal(4, f.Clock.Advance(5 * Ms));
        Assert.Equal(["a", "b", "c", "a"], f.Fired());
    }

    [Fact]
    public void Next_deadline_is_reported_on_the_monotonic_axis()
    {
        var clock = new VirtualClock(bootOffsetNs: 123);
        using var service = new TimerService(clock);
        using var map = new FakeTimerMap("m", 2);
        service.Init(map.Timer(0), map, 7);
        service.SetCallback(map.Timer(0), new RecordingCallback("cb", null, []));
        service.Start(map.Timer(0), (ulong)(clock.GetTime(ClockId.Boottime) + Ms), TimerStartFlags.Absolute);
        Assert.Equal(clock.Now + Ms, clock.AdvanceTo(clock.Now + Ms) == 1 ? clock.Now : -1);
    }

    [Fact]
    public void A_million_armed_timers_arm_cancel_half_and_fire_the_rest_in_order()
    {
        const int count = 1_000_000;
        var clock = new VirtualClock();
        using var service = new TimerService(clock);
        using var map = new FakeTimerMap("big", count, valueSize: 16, timerOffset: 0);
        var fired = 0;
        long lastNow = 0, outOfOrder = 0;
        var callback = new CountingCallback(() =>
        {
            fired++;
            if (clock.Now < lastNow) outOfOrder++;
            lastNow = clock.Now;
        });
        for (var i = 0; i < count; i++)
        {
            var timer = map.Timer(i);
            service.Init(timer, map, 1);
            service.SetCallback(timer, callback);
            // Pseudo-random deadlines in (0, 1 s], many ties.
            service.Start(timer, (ulong)(((i * 7919L) % 1_000_000) + 1) * 1000, 0);
        }

        Assert.Equal(count, service.ArmedCount);
        long cancelled = 0;
        for (var i = 0; i < count; i += 2) cancelled += service.Cancel(map.Timer(i));
        Assert.Equal(count / 2, cancelled);
        Assert.Equal(count / 2, clock.Advance(1_000_000_000));
        Assert.Equal(count / 2, fired);
        Assert.Equal(0, outOfOrder);
        Assert.Equal(0, service.ArmedCount);
        // Re-armed and then disposed with the service: disposing cancels them all, and none fires afterwards.
        for (var i = 1; i < count; i += 2) service.Start(map.Timer(i), 1_000_000, 0);
        Assert.Equal(count / 2, service.ArmedCount);
        service.Dispose();
        Assert.Equal(0, clock.Advance(1_000_000_000));
        Assert.Equal(count / 2, fired);
    }

    private sealed class CountingCallback(Action onFire) : ITimerCallback
    {
        public ITimerProgram? Program => null;
        public string Name => "count";

        public long Invoke(ITimerMap map, nint key, nint value)
        {
            onFire();
            return 0;
        }
    }
}

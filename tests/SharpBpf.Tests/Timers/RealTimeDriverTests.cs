using SharpBpf.Time;
using SharpBpf.Timers;

namespace SharpBpf.Tests.Timers;

/// <summary>The real-time driver: fires on all three system clocks, never early, re-programs for an earlier timer
/// armed from another thread, and stops its thread on dispose. Waits only in bounded poll loops.</summary>
public sealed class RealTimeDriverTests
{
    [Fact]
    public void Fires_on_every_clock_never_early_reprograms_and_stops_on_dispose()
    {
        var service = new TimerService(SystemClock.Instance);
        using var map = new FakeTimerMap("real", 4);
        var observed = new List<TimerFireInfo>();
        service.FireObserver = info => { lock (observed) observed.Add(info); };
        var log = new List<FireRecord>();
        ulong[] clocks = [1, 7, 0];
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(0, service.Init(map.Timer(i), map, i < 3 ? clocks[i] : 1));
            service.SetCallback(map.Timer(i), new RecordingCallback($"cb{i}", null, log));
        }

        service.Start(map.Timer(3), 60_000_000_000, 0); // far: the timerfd is programmed for a minute from now
        var thread = new Thread(() =>
        {
            for (var i = 0; i < 3; i++) service.Start(map.Timer(i), 300_000, 0); // earlier, from another thread
        });
        thread.Start();
        thread.Join();

        Assert.True(SpinWait.SpinUntil(() => { lock (log) return log.Count == 3; }, TimeSpan.FromSeconds(2)),
            "the driver did not fire the three 300 µs timers");
        Assert.Equal(["cb0", "cb1", "cb2"], log.Select(r => r.Callback).Order().ToArray());
        lock (observed)
        {
            Assert.Equal(3, observed.Count);
            Assert.All(observed, info => Assert.True(info.Lateness >= 0, $"fired {-info.Lateness} ns early"));
            Assert.Equal([ClockId.Realtime, ClockId.Monotonic, ClockId.Boottime], observed.Select(o => o.Clock).Order().ToArray());
        }

        Assert.Equal(1, service.ArmedCount);
        var driver = service.DriverThread;
        Assert.NotNull(driver);
        Assert.True(driver.IsAlive);
        service.Dispose();
        Assert.False(driver.IsAlive);
        Assert.Null(service.DriverThread);
    }
}

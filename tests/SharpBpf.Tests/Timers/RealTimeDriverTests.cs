using SharpBpf.Tests.Support;
using SharpBpf.Time;
using SharpBpf.Timers;
using Xunit.Sdk;

namespace SharpBpf.Tests.Timers;

/// <summary>The real-time driver: fires on all three system clocks, never early, re-programs for an earlier timer
/// armed from another thread, and stops its thread on dispose. Waits only for events, with a hang guard.</summary>
public sealed class RealTimeDriverTests
{
    private const string LinuxOnly = "the real-time driver is Linux only";

    [SkippableFact]
    public void Fires_on_every_clock_never_early_reprograms_and_stops_on_dispose()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), LinuxOnly);
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
        CheckedThread.Start(() =>
        {
            for (var i = 0; i < 3; i++) Assert.Equal(0, service.Start(map.Timer(i), 300_000, 0)); // earlier, from another thread
        }).Join();

        // Only a hang guard: the point is that the 300 µs timers fire before the one a minute away, not how soon.
        Assert.True(SpinWait.SpinUntil(() => { lock (log) return log.Count == 3; }, CheckedThread.HangGuard),
            "hang guard: the driver never fired the three 300 µs timers");
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
        TimerFaults.RethrowFirst(service);
    }

    [SkippableFact]
    public void An_assertion_failing_in_a_callback_on_the_driver_thread_reaches_the_test_and_the_driver_keeps_firing()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), LinuxOnly);
        using var service = new TimerService(SystemClock.Instance) { RealTimeSchedulingPriority = 0 };
        using var map = new FakeTimerMap("asserting", 2);
        using var secondFired = new ManualResetEventSlim();
        Assert.Equal(0, service.Init(map.Timer(0), map, 1));
        Assert.Equal(0, service.Init(map.Timer(1), map, 1));
        service.SetCallback(map.Timer(0), new RecordingCallback("failing", null, []) { Body = (_, _, _) => Assert.Equal(1, 2) });
        service.SetCallback(map.Timer(1), new RecordingCallback("second", null, []) { Body = (_, _, _) => secondFired.Set() });
        Assert.Equal(0, service.Start(map.Timer(0), 100_000, 0));
        Assert.Equal(0, service.Start(map.Timer(1), 200_000, 0));

        Assert.True(secondFired.Wait(CheckedThread.HangGuard), "hang guard: the driver stopped after the failing callback");
        var error = Assert.Throws<InvalidOperationException>(() => TimerFaults.RethrowFirst(service));
        Assert.IsType<EqualException>(error.InnerException);
        Assert.Equal(1, service.FaultCount);
    }
}

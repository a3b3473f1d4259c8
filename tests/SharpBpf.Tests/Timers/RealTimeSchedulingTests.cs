using System.Diagnostics;
using SharpBpf.Time;
using SharpBpf.Timers;

namespace SharpBpf.Tests.Timers;

/// <summary>
/// The real-time driver's scheduling: SCHED_FIFO by default, silently normal when not permitted, nothing asked with
/// priority 0, normal scheduling while it cannot catch up (so a SCHED_FIFO thread never holds a CPU), and a spin
/// bounded in monotonic time. The privilege is injected (<see cref="TimerService.SchedulingPolicySetter"/>), so the
/// unprivileged paths run as root too. Waits only in bounded poll loops.
/// </summary>
public sealed class RealTimeSchedulingTests
{
    private const int EPERM = 1;

    [Fact]
    public void Without_the_privilege_the_driver_runs_normally_and_says_why()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the real-time driver is Linux only
        }

        using var service = new TimerService(SystemClock.Instance);
        var asked = new List<(int Policy, int Priority)>();
        service.SchedulingPolicySetter = (policy, priority) =>
        {
            lock (asked) asked.Add((policy, priority));
            return EPERM;
        };

        var policyInCallback = FireOnce(service);

        Assert.Equal(EPERM, service.RealTimeSchedulingError);
        Assert.Equal(LinuxTimerNative.SCHED_OTHER, policyInCallback);
        lock (asked)
        {
            Assert.Equal([(LinuxTimerNative.SCHED_FIFO, TimerService.DefaultRealTimeSchedulingPriority)], asked);
        }
    }

    [Fact]
    public void With_priority_zero_nothing_is_asked_for()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var service = new TimerService(SystemClock.Instance) { RealTimeSchedulingPriority = 0 };
        var calls = 0;
        service.SchedulingPolicySetter = (_, _) =>
        {
            Interlocked.Increment(ref calls);
            return 0;
        };

        Assert.Equal(LinuxTimerNative.SCHED_OTHER, FireOnce(service));
        Assert.Equal(0, Volatile.Read(ref calls));
        Assert.Null(service.RealTimeSchedulingError);
    }

    [Fact]
    public void An_overloaded_driver_drops_to_normal_scheduling_keeps_firing_and_takes_SCHED_FIFO_again_once_caught_up()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var service = new TimerService(SystemClock.Instance) { RealTimeSchedulingPriority = 7 };
        service.RealTimeBusyBudgetNanoseconds = 1_000_000;
        var asked = new List<(int Policy, int Priority, long FiresBefore)>();
        long fires = 0;
        service.SchedulingPolicySetter = (policy, priority) =>
        {
            lock (asked) asked.Add((policy, priority, Volatile.Read(ref fires)));
            return 0; // "permitted", without changing this test process's real scheduling
        };

        using var map = new FakeTimerMap("overload", 1);
        const int FiresAfterDrop = 500;
        long firesAtDrop = -1;
        var giveUp = Stopwatch.StartNew();
        var callback = new RecordingCallback("cb", null, [])
        {
            Body = (_, _, _) =>
            {
                var n = Interlocked.Increment(ref fires);
                bool dropped;
                lock (asked) dropped = asked.Count >= 2;
                if (dropped && firesAtDrop < 0)
                {
                    firesAtDrop = n;
                }

                // A callback re-arming itself with 0 ns keeps the driver busy: the kernel's softirq would hand it to
                // ksoftirqd after 2 ms; the driver must give up SCHED_FIFO likewise.
                if ((firesAtDrop < 0 || n < firesAtDrop + FiresAfterDrop) && giveUp.Elapsed < TimeSpan.FromSeconds(10))
                {
                    service.Start(map.Timer(0), 0, 0);
                }
            },
        };
        Assert.Equal(0, service.Init(map.Timer(0), map, 1));
        Assert.Equal(0, service.SetCallback(map.Timer(0), callback));
        Assert.Equal(0, service.Start(map.Timer(0), 0, 0));

        Assert.True(SpinWait.SpinUntil(() => { lock (asked) return asked.Count >= 3; }, TimeSpan.FromSeconds(15)),
            "the driver did not drop SCHED_FIFO and take it again");
        lock (asked)
        {
            Assert.Equal(3, asked.Count);
            Assert.Equal((LinuxTimerNative.SCHED_FIFO, 7), (asked[0].Policy, asked[0].Priority));
            Assert.Equal((LinuxTimerNative.SCHED_OTHER, 0), (asked[1].Policy, asked[1].Priority));
            Assert.Equal((LinuxTimerNative.SCHED_FIFO, 7), (asked[2].Policy, asked[2].Priority));
            // Dropped while the timer was still re-arming; the fires after the drop all ran before SCHED_FIFO came back.
            Assert.True(asked[1].FiresBefore > 0);
            Assert.Equal(firesAtDrop + FiresAfterDrop, asked[2].FiresBefore);
        }

        Assert.Equal(0, service.RealTimeSchedulingError);
        Assert.Equal(0, service.ArmedCount);
    }

    [Fact]
    public void The_spin_before_a_deadline_is_bounded_by_the_margin_whatever_the_clock_does()
    {
        var frozen = new VirtualClock(); // never advances: a clock that does not reach the deadline while spinning
        var now = frozen.GetTime(ClockId.Realtime);

        var spun = Stopwatch.StartNew();
        Assert.False(RealTimeDriver.SpinUntil(frozen, ClockId.Realtime, now + 500_000, margin: 1_000_000));
        spun.Stop();
        Assert.True(spun.Elapsed >= TimeSpan.FromMilliseconds(1), $"gave up after {spun.Elapsed.TotalMicroseconds} µs");
        Assert.True(spun.Elapsed < TimeSpan.FromSeconds(1), $"spun {spun.Elapsed.TotalMilliseconds} ms");

        // Beyond the margin nothing is spun; at or past the deadline it is reached at once.
        Assert.False(RealTimeDriver.SpinUntil(frozen, ClockId.Realtime, now + 2_000_000, margin: 1_000_000));
        Assert.True(RealTimeDriver.SpinUntil(frozen, ClockId.Realtime, now, margin: 1_000_000));
    }

    [Fact]
    public void The_spin_margin_is_range_checked()
    {
        using var service = new TimerService(new VirtualClock());
        Assert.Throws<ArgumentOutOfRangeException>(() => service.RealTimeSpinNanoseconds = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => service.RealTimeSpinNanoseconds = TimerService.MaxRealTimeSpinNanoseconds + 1);
        service.RealTimeSpinNanoseconds = TimerService.MaxRealTimeSpinNanoseconds;
        Assert.Equal(TimerService.MaxRealTimeSpinNanoseconds, service.RealTimeSpinNanoseconds);
    }

    // Arms one 100 µs monotonic timer and returns the scheduling policy its callback ran under.
    private static int FireOnce(TimerService service)
    {
        using var map = new FakeTimerMap("rt", 1);
        var policy = -1;
        using var fired = new ManualResetEventSlim();
        var callback = new RecordingCallback("cb", null, [])
        {
            Body = (_, _, _) =>
            {
                policy = LinuxTimerNative.sched_getscheduler(0);
                fired.Set();
            },
        };
        Assert.Equal(0, service.Init(map.Timer(0), map, 1));
        Assert.Equal(0, service.SetCallback(map.Timer(0), callback));
        Assert.Equal(0, service.Start(map.Timer(0), 100_000, 0));
        Assert.True(fired.Wait(TimeSpan.FromSeconds(5)), "the driver did not fire a 100 µs timer");
        return policy;
    }
}

using System.Diagnostics;
using SharpBpf.Tests.Support;
using SharpBpf.Time;
using SharpBpf.Timers;

namespace SharpBpf.Tests.Timers;

/// <summary>
/// The real-time driver's scheduling: SCHED_FIFO by default, silently normal when not permitted, nothing asked with
/// priority 0, normal scheduling while it cannot catch up (so a SCHED_FIFO thread never holds a CPU), and a spin
/// bounded in monotonic time. The privilege is injected (<see cref="TimerService.SchedulingPolicySetter"/>), so the
/// privileged and unprivileged paths both run whatever this process may do. Waits only for events, with a hang guard.
/// </summary>
public sealed class RealTimeSchedulingTests
{
    private const int EPERM = 1;
    private const string LinuxOnly = "the real-time driver is Linux only";

    [SkippableFact]
    public void Without_the_privilege_the_driver_runs_normally_and_says_why()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), LinuxOnly);
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

    [SkippableFact]
    public void With_the_privilege_the_driver_fires_under_SCHED_FIFO()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), LinuxOnly);
        var errno = SchedulingPrivilege.TrySchedFifo(TimerService.DefaultRealTimeSchedulingPriority);
        Skip.If(errno != 0, $"SCHED_FIFO is not permitted here (errno {errno}, {SchedulingPrivilege.Describe()}); "
            + "the injected tests cover both paths");
        using var service = new TimerService(SystemClock.Instance);

        Assert.Equal(LinuxTimerNative.SCHED_FIFO, FireOnce(service));
        Assert.Equal(0, service.RealTimeSchedulingError);
    }

    [SkippableFact]
    public void With_priority_zero_nothing_is_asked_for()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), LinuxOnly);
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

    [SkippableFact]
    public void An_overloaded_driver_drops_to_normal_scheduling_keeps_firing_and_takes_SCHED_FIFO_again_once_caught_up()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), LinuxOnly);
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
        // Hang guard, counted in fires rather than time: the 1 ms budget runs out after a few thousand fires on any
        // machine, so a driver still under SCHED_FIFO after this many never gives it up.
        const long FiresWithoutDrop = 5_000_000;
        long firesAtDrop = -1;
        var stoppedRearming = false;
        var callback = new RecordingCallback("cb", null, [])
        {
            Body = (_, _, _) =>
            {
                var n = Interlocked.Increment(ref fires);
                bool dropped;
                lock (asked) dropped = asked.Count >= 2;
                if (dropped && firesAtDrop < 0)
                {
                    Volatile.Write(ref firesAtDrop, n);
                }

                // A callback re-arming itself with 0 ns keeps the driver busy: the kernel's softirq would hand it to
                // ksoftirqd after 2 ms; the driver must give up SCHED_FIFO likewise.
                var more = firesAtDrop < 0 ? n < FiresWithoutDrop : n < firesAtDrop + FiresAfterDrop;
                if (more)
                {
                    service.Start(map.Timer(0), 0, 0);
                }
                else
                {
                    Volatile.Write(ref stoppedRearming, true);
                }
            },
        };
        Assert.Equal(0, service.Init(map.Timer(0), map, 1));
        Assert.Equal(0, service.SetCallback(map.Timer(0), callback));
        Assert.Equal(0, service.Start(map.Timer(0), 0, 0));

        var settled = SpinWait.SpinUntil(
            () => { lock (asked) return asked.Count >= 3 || (Volatile.Read(ref stoppedRearming) && Volatile.Read(ref firesAtDrop) < 0); },
            CheckedThread.HangGuard);
        Assert.True(settled, "hang guard: the driver neither took SCHED_FIFO back nor finished firing");
        Assert.True(Volatile.Read(ref firesAtDrop) > 0, $"the driver fired {FiresWithoutDrop} times without giving up SCHED_FIFO");
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
        TimerFaults.RethrowFirst(service);
    }

    [Fact]
    public void The_spin_before_a_deadline_gives_up_after_the_margin_when_the_clock_does_not_get_there()
    {
        var frozen = new SteppingClock(step: 0); // never advances while spinning
        var now = frozen.Start;
        var reached = true;

        var spun = Stopwatch.StartNew();
        CheckedThread.Start(() => reached = RealTimeDriver.SpinUntil(frozen, ClockId.Realtime, now + 500_000, margin: 1_000_000)).Join();
        spun.Stop();

        Assert.False(reached);
        Assert.True(frozen.Reads > 1, "gave up without spinning");
        // The spin ended because its margin of monotonic time ran out, not before (a slower machine only spins longer).
        Assert.True(spun.Elapsed >= TimeSpan.FromMilliseconds(1), $"gave up after {spun.Elapsed.TotalMicroseconds} µs");
    }

    [Fact]
    public void The_spin_ends_on_the_read_that_reaches_the_deadline()
    {
        var clock = new SteppingClock(step: 100);
        // A margin of an hour: only the clock, never the bound, can end this spin.
        Assert.True(RealTimeDriver.SpinUntil(clock, ClockId.Realtime, clock.Start + 50_000, margin: 3_600_000_000_000));
        Assert.Equal(501, clock.Reads); // the first read, then one per 100 ns step up to the deadline
    }

    [Fact]
    public void Beyond_the_margin_nothing_is_spun_and_at_the_deadline_it_is_reached_at_once()
    {
        var beyond = new SteppingClock(step: 0);
        Assert.False(RealTimeDriver.SpinUntil(beyond, ClockId.Realtime, beyond.Start + 2_000_000, margin: 1_000_000));
        Assert.Equal(1, beyond.Reads);

        var due = new SteppingClock(step: 0);
        Assert.True(RealTimeDriver.SpinUntil(due, ClockId.Realtime, due.Start, margin: 1_000_000));
        Assert.Equal(1, due.Reads);
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
        Assert.True(fired.Wait(CheckedThread.HangGuard), "hang guard: the driver never fired a 100 µs timer");
        TimerFaults.RethrowFirst(service);
        return policy;
    }

    /// <summary>A clock whose every read is <see cref="Step"/> ns later than the one before, and counts reads.</summary>
    private sealed class SteppingClock(long step) : IBpfClock
    {
        public long Start { get; } = 1_000_000_000;
        public long Step { get; } = step;
        public int Reads { get; private set; }
        public bool IsVirtual => true;

        public long GetTime(ClockId clock) => Start + (Reads++ * Step);
    }
}

using SharpBpf.Tests.Support;
using SharpBpf.Time;
using SharpBpf.Timers;

namespace SharpBpf.Tests.Timers;

/// <summary>
/// What the performance work on the queues must not change: (deadline, arming order) across the 32-bit sequence
/// renumbering and across clocks, the batched virtual advance's handling of schedulers attached by a callback, and
/// the order of many scattered timers. Plus the opt-in SCHED_FIFO driver thread.
/// </summary>
public sealed class TimerQueuePerformanceTests
{
    [Fact]
    public void Arming_order_survives_the_sequence_renumbering_at_the_32_bit_wrap()
    {
        using var f = new TimerFixture();
        for (var i = 0; i < 6; i++)
        {
            f.Ready(i, $"t{i}", clock: i == 1 ? 7UL : 1UL); // t1 on boottime: ties are broken across queues too
        }

        f.Service.ArmSequence = uint.MaxValue - 4;
        Assert.Equal(0, f.Service.Start(f.Map.Timer(0), 100, 0)); // MaxValue - 3
        Assert.Equal(0, f.Service.Start(f.Map.Timer(1), 100, 0)); // MaxValue - 2
        Assert.Equal(0, f.Service.Start(f.Map.Timer(2), 50, 0)); // MaxValue - 1
        Assert.Equal(0, f.Service.Start(f.Map.Timer(3), 100, 0)); // MaxValue
        Assert.Equal(uint.MaxValue, f.Service.ArmSequence);
        Assert.Equal(0, f.Service.Start(f.Map.Timer(4), 100, 0)); // renumbers the four queued ones to 1..4, then 5
        Assert.Equal(5u, f.Service.ArmSequence);
        Assert.Equal(0, f.Service.Start(f.Map.Timer(5), 100, 0));

        Assert.Equal(6, f.Clock.Advance(100));
        Assert.Equal(["t2", "t0", "t1", "t3", "t4", "t5"], f.Fired());
    }

    [Fact]
    public void A_big_advance_fires_scattered_timers_in_deadline_then_arming_order()
    {
        const int count = 5_000;
        using var f = new TimerFixture(entries: count);
        var order = new List<int>();
        var callback = new IndexCallback(f.Map, order);
        var expected = new List<(long Deadline, int Arming, int Index)>();
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(0, f.Service.Init(f.Map.Timer(i), f.Map, 1));
            Assert.Equal(0, f.Service.SetCallback(f.Map.Timer(i), callback));
        }

        for (var i = 0; i < count; i++)
        {
            var deadline = 1 + ((long)i * 7919 % 997); // many equal deadlines
            Assert.Equal(0, f.Service.Start(f.Map.Timer(i), (ulong)deadline, 0));
            expected.Add((deadline, i, i));
        }

        // Re-arm a tenth of them: a re-arm takes a new place in the arming order.
        for (var i = 0; i < count; i += 10)
        {
            Assert.Equal(0, f.Service.Start(f.Map.Timer(i), 500, 0));
            expected[i] = (500, count + i, i);
        }

        Assert.Equal(count, f.Clock.Advance(1_000));
        Assert.Equal(expected.OrderBy(e => e.Deadline).ThenBy(e => e.Arming).Select(e => e.Index), order);
        Assert.Equal(0, f.Service.ArmedCount);
    }

    /// <summary>
    /// The sorted run a big advance builds must not change anything observable: the same scenario (scattered and
    /// tied deadlines on two clocks; callbacks that cancel, re-arm and free timers still in the run, re-arm themselves,
    /// and arm new ones due within the advance) gives the same fires at the same virtual times with and without it.
    /// </summary>
    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    public void The_sorted_run_of_a_big_advance_fires_exactly_what_the_heap_fires(int runMinimum)
    {
        var withRun = RunChurnScenario(runMinimum);
        var withoutRun = RunChurnScenario(int.MaxValue);
        Assert.True(withRun.Log.Count > 400, $"only {withRun.Log.Count} fires");
        Assert.True(withRun.Runs > 0, "no sorted run was built");
        Assert.Equal(0, withoutRun.Runs);
        Assert.Equal(withoutRun.Log, withRun.Log);
        Assert.Equal(withoutRun.Armed, withRun.Armed);
        Assert.Equal(withoutRun.Remaining, withRun.Remaining);
    }

    private static (List<string> Log, int Armed, string[] Remaining, int Runs) RunChurnScenario(int runMinimum)
    {
        const int count = 600;
        using var f = new TimerFixture(entries: count);
        f.Service.BulkRunMinimum = runMinimum;
        var log = new List<string>();
        var firedOnce = new bool[count];
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(0, f.Service.Init(f.Map.Timer(i), f.Map, i % 3 == 0 ? 7UL : 1UL));
        }

        ITimerCallback? callback = null;
        callback = new DelegateCallback((map, key, value) =>
        {
            var index = f.Map.IndexOf(value);
            log.Add($"{index}@{f.Clock.Now}");
            var other = (index * 37 + 11) % count;
            switch (index % 5)
            {
                case 0: f.Service.Cancel(f.Map.Timer(other)); break; // maybe still in the run
                case 1: f.Service.Start(f.Map.Timer(other), (ulong)(index % 7 * 3), 0); break; // re-armed, maybe for now
                case 2: f.Service.FreeTimerIn(f.Map.Value(other), f.Map); break;
                case 3:
                    if (!firedOnce[index])
                    {
                        firedOnce[index] = true;
                        f.Service.Start(f.Map.Timer(index), 250, 0); // itself, later in the same advance
                    }

                    break;
            }
        });
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(0, f.Service.SetCallback(f.Map.Timer(i), callback));
            Assert.Equal(0, f.Service.Start(f.Map.Timer(i), (ulong)(1 + ((long)i * 7919 % 500)), 0));
        }

        f.Clock.Advance(400);
        f.Clock.Advance(1_000);
        var remaining = f.Service.GetTimers().Select(t => $"{f.Map.IndexOf(t.ValueAddress)}:{t.Expiry}").ToArray();
        return (log, f.Service.ArmedCount, remaining, f.Service.RunsBuilt);
    }

    [Fact]
    public void A_scheduler_attached_by_a_callback_joins_the_same_advance()
    {
        using var f = new TimerFixture();
        var second = new TimerService(f.Clock);
        using var otherMap = new FakeTimerMap("other", 2);
        try
        {
            var late = f.Ready(0, "first");
            var log = f.Log;
            late.Body = (_, _, _) =>
            {
                // From inside the advance: a second service on the same clock arms a timer due within it.
                Assert.Equal(0, second.Init(otherMap.Timer(0), otherMap, 1));
                Assert.Equal(0, second.SetCallback(otherMap.Timer(0), new RecordingCallback("second", null, log, () => f.Clock.Now)));
                Assert.Equal(0, second.Start(otherMap.Timer(0), 10, 0));
            };
            f.Ready(1, "third");
            Assert.Equal(0, f.Service.Start(f.Map.Timer(0), 100, 0));
            Assert.Equal(0, f.Service.Start(f.Map.Timer(1), 200, 0));

            Assert.Equal(3, f.Clock.Advance(1_000));
            Assert.Equal(["first", "second", "third"], f.Fired());
            Assert.Equal([100L, 110L, 200L], f.Log.Select(r => r.MonotonicNow - 1_000_000_000).ToArray());
        }
        finally
        {
            second.Dispose();
        }
    }

    [Fact]
    public void Scheduling_priority_is_range_checked()
    {
        using var service = new TimerService(new VirtualClock());
        Assert.Throws<ArgumentOutOfRangeException>(() => service.RealTimeSchedulingPriority = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => service.RealTimeSchedulingPriority = 100);
        Assert.Null(service.RealTimeSchedulingError);
    }

    [SkippableTheory]
    [InlineData(null)]
    [InlineData(1)]
    [InlineData(0)]
    public void The_driver_thread_runs_under_SCHED_FIFO_by_default_when_permitted_and_normally_when_told(int? priority)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the real-time driver is Linux only");

        using var service = new TimerService(SystemClock.Instance);
        if (priority is { } asked)
        {
            service.RealTimeSchedulingPriority = asked;
        }

        Assert.Equal(priority ?? TimerService.DefaultRealTimeSchedulingPriority, service.RealTimeSchedulingPriority);
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

        var error = service.RealTimeSchedulingError;
        if (priority == 0)
        {
            // Normal scheduling asked for: nothing is attempted.
            Assert.Null(error);
            Assert.Equal(LinuxTimerNative.SCHED_OTHER, policy);
            return;
        }

        // Applied where this process may use SCHED_FIFO (root alone does not say: a container's root often lacks
        // CAP_SYS_NICE); elsewhere the error is the errno the kernel gives, and the thread runs normally.
        var permitted = SchedulingPrivilege.TrySchedFifo(service.RealTimeSchedulingPriority);
        Assert.Equal(permitted, error);
        Assert.Equal(permitted == 0 ? LinuxTimerNative.SCHED_FIFO : LinuxTimerNative.SCHED_OTHER, policy);
    }

    private sealed class DelegateCallback(Action<ITimerMap, nint, nint> body) : ITimerCallback
    {
        public ITimerProgram? Program => null;
        public string Name => "churn";

        public long Invoke(ITimerMap map, nint key, nint value)
        {
            body(map, key, value);
            return 0;
        }
    }

    private sealed unsafe class IndexCallback(FakeTimerMap map, List<int> order) : ITimerCallback
    {
        public ITimerProgram? Program => null;
        public string Name => "index";

        public long Invoke(ITimerMap timerMap, nint key, nint value)
        {
            order.Add(map.IndexOf(value));
            return 0;
        }
    }
}

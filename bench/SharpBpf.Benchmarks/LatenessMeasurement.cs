using SharpBpf.Time;
using SharpBpf.Timers;

namespace SharpBpf.Benchmarks;

/// <summary>
/// Real-clock lateness of SharpBpf's timer driver (the <c>lateness</c> mode), in the same two scenarios as
/// bench/kernel/timer_bench.c: a 1 ms periodic timer re-armed with an absolute deadline 2,000 times, and 10,000 timers
/// armed at once with absolute deadlines 100 µs apart over 1 s (in a scrambled order). Lateness is reported twice:
/// as <see cref="TimerService.FireObserver"/> sees it (the driver's clock read just before the callback) and as the
/// callback itself reads the clock first thing, which is what the BPF callbacks in the kernel measure. With a
/// scheduling priority the driver thread runs under SCHED_FIFO (<see cref="TimerService.RealTimeSchedulingPriority"/>).
/// </summary>
internal static class LatenessMeasurement
{
    public const long PeriodNs = 1_000_000;
    public const int PeriodicFires = 2_000;
    public const int ManyTimers = 10_000;
    public const long ManySpacingNs = 100_000;
    public const long ManyDelayNs = 50_000_000;

    public sealed record Result(LatenessStats Observer, LatenessStats Callback);

    /// <summary>Runs both scenarios briefly and discards them: the first few hundred fires run code the JIT has not
    /// optimized yet, and replacing it pauses threads; a long-running host is past that, the kernel never has it.</summary>
    public static void WarmUp()
    {
        Periodic(0, fires: 1_000, periodNs: 100_000);
        Many(0, timers: 2_000, spacingNs: 20_000);
    }

    public static Result Periodic(int schedulingPriority = 0, int fires = PeriodicFires, long periodNs = PeriodNs)
    {
        var clock = SystemClock.Instance;
        using var service = new TimerService(clock) { RealTimeSchedulingPriority = schedulingPriority };
        using var map = new BenchTimerMap(1);
        var observed = new List<long>(fires);
        var inCallback = new List<long>(fires);
        using var done = new ManualResetEventSlim();
        long expected = 0;
        var callback = new DelegateCallback(() =>
        {
            var lateness = clock.GetTime(ClockId.Monotonic) - expected;
            inCallback.Add(lateness);
            if (inCallback.Count < fires)
            {
                expected += periodNs;
                service.Start(map.Timer(0), (ulong)expected, TimerStartFlags.Absolute);
            }
            else
            {
                done.Set();
            }
        });
        service.FireObserver = info => observed.Add(info.Lateness);
        VirtualTimerBench.Check(service.Init(map.Timer(0), map, (ulong)ClockId.Monotonic), "init");
        VirtualTimerBench.Check(service.SetCallback(map.Timer(0), callback), "set_callback");
        expected = clock.GetTime(ClockId.Monotonic) + periodNs;
        VirtualTimerBench.Check(service.Start(map.Timer(0), (ulong)expected, TimerStartFlags.Absolute), "start");
        if (!done.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"the periodic timer fired {inCallback.Count} times in 30 s");
        }

        service.FireObserver = null;
        return new Result(LatenessStats.Of(observed), LatenessStats.Of(inCallback));
    }

    public static Result Many(int schedulingPriority = 0, int timers = ManyTimers, long spacingNs = ManySpacingNs)
    {
        var clock = SystemClock.Instance;
        using var service = new TimerService(clock) { RealTimeSchedulingPriority = schedulingPriority };
        using var map = new BenchTimerMap(timers);
        var observed = new List<long>(timers);
        var inCallback = new long[timers];
        var expected = new long[timers];
        var fired = 0;
        using var done = new ManualResetEventSlim();
        var callback = new KeyedCallback(index =>
        {
            inCallback[index] = clock.GetTime(ClockId.Monotonic) - expected[index];
            if (++fired == timers)
            {
                done.Set();
            }
        });
        service.FireObserver = info => observed.Add(info.Lateness);
        for (var i = 0; i < timers; i++)
        {
            VirtualTimerBench.Check(service.Init(map.Timer(i), map, (ulong)ClockId.Monotonic), "init");
            VirtualTimerBench.Check(service.SetCallback(map.Timer(i), callback), "set_callback");
        }

        var start = clock.GetTime(ClockId.Monotonic) + ManyDelayNs;
        for (var i = 0; i < timers; i++)
        {
            expected[i] = start + ((long)i * 7919 % timers * spacingNs);
            VirtualTimerBench.Check(service.Start(map.Timer(i), (ulong)expected[i], TimerStartFlags.Absolute), "start");
        }

        if (!done.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"{fired} of {timers} timers fired in 30 s");
        }

        service.FireObserver = null;
        return new Result(LatenessStats.Of(observed), LatenessStats.Of(inCallback));
    }

    private sealed class DelegateCallback(Action body) : ITimerCallback
    {
        public ITimerProgram? Program => null;
        public string Name => "bench/periodic";

        public long Invoke(ITimerMap map, nint key, nint value)
        {
            body();
            return 0;
        }
    }

    private sealed unsafe class KeyedCallback(Action<int> body) : ITimerCallback
    {
        public ITimerProgram? Program => null;
        public string Name => "bench/many";

        public long Invoke(ITimerMap map, nint key, nint value)
        {
            body((int)*(uint*)key);
            return 0;
        }
    }
}

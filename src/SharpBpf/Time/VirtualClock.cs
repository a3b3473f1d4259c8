namespace SharpBpf.Time;

/// <summary>
/// Deterministic time for tests and capture replay. It only moves when <see cref="Advance(long)"/> or
/// <see cref="AdvanceTo"/> is called, and it fires every due timer synchronously on the caller's thread, in
/// (deadline, arming order), including timers armed or re-armed by callbacks during the same advance. The kernel
/// has no such clock; this is what lets a timer test run in microseconds without sleeping.
/// </summary>
/// <remarks>
/// All clocks advance together: boottime and realtime keep fixed offsets from monotonic. It does not model
/// suspend (boottime running ahead of monotonic) nor wall-clock jumps.
/// </remarks>
public sealed class VirtualClock : IBpfClock
{
    private readonly object _gate = new();
    private readonly List<IVirtualTimeScheduler> _schedulers = [];
    private long _monotonic;
    private bool _advancing;
    private int _schedulersVersion;

    /// <param name="startMonotonicNs">Where monotonic time starts (the kernel's is time since boot, never 0).</param>
    /// <param name="bootOffsetNs">Boottime minus monotonic (time spent suspended before the run).</param>
    /// <param name="realtimeOffsetNs">Realtime minus monotonic (wall clock at boot, in ns since the epoch).</param>
    /// <param name="taiOffsetNs">TAI minus realtime; 37 s since 2017.</param>
    public VirtualClock(long startMonotonicNs = 1_000_000_000, long bootOffsetNs = 0,
        long realtimeOffsetNs = 1_700_000_000_000_000_000, long taiOffsetNs = 37_000_000_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startMonotonicNs);
        _monotonic = startMonotonicNs;
        BootOffset = bootOffsetNs;
        RealtimeOffset = realtimeOffsetNs;
        TaiOffset = taiOffsetNs;
    }

    /// <summary>Boottime minus monotonic time, in ns.</summary>
    public long BootOffset { get; }
    /// <summary>Realtime minus monotonic time, in ns (the wall clock at boot).</summary>
    public long RealtimeOffset { get; }
    /// <summary>TAI minus realtime, in ns.</summary>
    public long TaiOffset { get; }

    /// <summary>A guard against callbacks that re-arm themselves for "now" forever: an advance that fires more
    /// timers than this stops with <see cref="InvalidOperationException"/> instead of hanging the host.</summary>
    public long MaxFiresPerAdvance { get; set; } = 100_000_000;

    /// <inheritdoc/>
    public bool IsVirtual => true;

    /// <summary>Current monotonic time in nanoseconds.</summary>
    public long Now => Volatile.Read(ref _monotonic);

    /// <inheritdoc/>
    public long GetTime(ClockId clock) => ToClock(clock, Now);

    /// <summary>Converts a monotonic instant to the same instant on <paramref name="clock"/>.</summary>
    public long ToClock(ClockId clock, long monotonicNs) => clock switch
    {
        ClockId.Realtime or ClockId.RealtimeCoarse or ClockId.RealtimeAlarm => monotonicNs + RealtimeOffset,
        ClockId.Tai => monotonicNs + RealtimeOffset + TaiOffset,
        ClockId.Boottime or ClockId.BoottimeAlarm => monotonicNs + BootOffset,
        _ => monotonicNs,
    };

    /// <summary>Converts an instant on <paramref name="clock"/> to monotonic time (saturating, never overflowing).</summary>
    public long ToMonotonic(ClockId clock, long clockNs)
    {
        var offset = ToClock(clock, 0);
        return offset >= 0
            ? (clockNs < long.MinValue + offset ? long.MinValue : clockNs - offset)
            : (clockNs > long.MaxValue + offset ? long.MaxValue : clockNs - offset);
    }

    internal void Attach(IVirtualTimeScheduler scheduler)
    {
        lock (_gate)
        {
            _schedulers.Add(scheduler);
            _schedulersVersion++;
        }
    }

    internal void Detach(IVirtualTimeScheduler scheduler)
    {
        lock (_gate)
        {
            _schedulers.Remove(scheduler);
            _schedulersVersion++;
        }
    }

    /// <summary>Moves time forward by <paramref name="nanoseconds"/>, firing what falls due on the way.</summary>
    /// <returns>How many timers fired.</returns>
    public long Advance(long nanoseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nanoseconds);
        var now = Now;
        return AdvanceTo(nanoseconds > long.MaxValue - now ? long.MaxValue : now + nanoseconds);
    }

    /// <summary>Moves time forward by <paramref name="duration"/>, firing what falls due on the way.</summary>
    /// <returns>How many timers fired.</returns>
    public long Advance(TimeSpan duration) => Advance(checked(duration.Ticks * 100));

    /// <summary>Moves monotonic time to <paramref name="monotonicNs"/> (not backwards), firing what falls due.</summary>
    /// <returns>How many timers fired.</returns>
    public long AdvanceTo(long monotonicNs)
    {
        lock (_gate)
        {
            if (_advancing)
            {
                throw new InvalidOperationException("a timer callback cannot advance the virtual clock it runs on");
            }

            if (monotonicNs < _monotonic)
            {
                throw new ArgumentOutOfRangeException(nameof(monotonicNs), "virtual time does not go backwards");
            }

            _advancing = true;
            try
            {
                return FireUntil(monotonicNs);
            }
            finally
            {
                _advancing = false;
            }
        }
    }

    /// <summary>Changes whenever a scheduler is attached or detached.</summary>
    internal int SchedulersVersion => Volatile.Read(ref _schedulersVersion);

    /// <summary>During an advance, on the advancing thread: time reaches the deadline of the timer about to fire.</summary>
    internal void MoveForwardTo(long monotonicNs)
    {
        if (monotonicNs > _monotonic)
        {
            Volatile.Write(ref _monotonic, monotonicNs);
        }
    }

    private long FireUntil(long target)
    {
        long fired = 0;
        while (true)
        {
            // One scheduler (the usual case: one runtime on this clock) runs the loop itself, in the same order.
            if (_schedulers.Count == 1 && _schedulers[0] is IBatchingVirtualTimeScheduler batching)
            {
                var version = _schedulersVersion;
                var remaining = MaxFiresPerAdvance - fired; // one more than allowed fires, so the guard below trips
                fired += batching.FireDue(target, remaining == long.MaxValue ? remaining : remaining + 1, version);
                ThrowIfTooManyFires(fired);
                if (version == _schedulersVersion)
                {
                    break;
                }

                continue;
            }

            // The deadline comes from the same read that chose the scheduler: another thread may cancel that timer
            // before FireNext, which then finds nothing due and returns false.
            if (NextDue(target) is not ({ } scheduler, var deadline))
            {
                break;
            }

            MoveForwardTo(deadline);
            if (scheduler.FireNext())
            {
                ThrowIfTooManyFires(++fired);
            }
        }

        Volatile.Write(ref _monotonic, target);
        return fired;
    }

    private void ThrowIfTooManyFires(long fired)
    {
        if (fired > MaxFiresPerAdvance)
        {
            throw new InvalidOperationException(
                $"more than {MaxFiresPerAdvance} timers fired in one advance: a callback keeps re-arming for the current time");
        }
    }

    // Across schedulers (one per map or per clock) the earliest deadline wins; the first attached wins a tie.
    private (IVirtualTimeScheduler? Scheduler, long Deadline) NextDue(long target)
    {
        IVirtualTimeScheduler? best = null;
        var bestDeadline = long.MaxValue;
        foreach (var scheduler in _schedulers)
        {
            if (scheduler.NextDeadline is { } deadline && deadline <= target && (best is null || deadline < bestDeadline))
            {
                best = scheduler;
                bestDeadline = deadline;
            }
        }

        return (best, bestDeadline);
    }
}

using SharpBpf.Time;

namespace SharpBpf.Timers;

// Firing: shared by the virtual scheduler and the real-time driver. A fire takes the timer off its queue under the
// lock, runs the callback outside it, and finishes under the lock again.
public sealed partial class TimerService
{
    private const int MaxRecordedFaults = 1000;
    private readonly List<TimerCallbackFault> _faults = [];
    private long _faultCount;

    /// <summary>Raised on the firing thread when a callback throws.</summary>
    public event Action<TimerCallbackFault>? CallbackFaulted;

    /// <summary>The first faults recorded (at most 1000).</summary>
    public IReadOnlyList<TimerCallbackFault> Faults
    {
        get
        {
            lock (_faults)
            {
                return [.. _faults];
            }
        }
    }

    public long FaultCount => Interlocked.Read(ref _faultCount);

    private readonly record struct Fire(
        BpfTimer Timer, ITimerCallback? Callback, ITimerMap Map, nint Value, ClockId Clock, long Deadline, long FiredAt);

    // Under the lock: t is due and at the head of its queue.
    private Fire BeginFire(BpfTimer t, long firedAt)
    {
        _queues[t.ClockIndex].Remove(t);
        t.Armed = false;
        _armedCount--;
        t.Running = true;
        var callback = t.Callback;

        // A cancel may drop the timer's reference while the callback runs; the kernel's RCU keeps the program
        // alive until then, this extra reference does the same.
        callback?.Program?.AddReference();
        return new Fire(t, callback, t.Map!, t.ValueAddress, t.Clock, t.Deadline, firedAt);
    }

    private void RunFire(in Fire fire)
    {
        var previous = t_running;
        t_running = fire.Timer;
        try
        {
            if (fire.Callback is not null)
            {
                FireObserver?.Invoke(new TimerFireInfo(fire.Clock, fire.Deadline, fire.FiredAt));
                Interlocked.Increment(ref _fireCount);
                fire.Callback.Invoke(fire.Map, fire.Map.GetCallbackKey(fire.Value), fire.Value);
            }
        }
        catch (Exception exception)
        {
            RecordFault(new TimerCallbackFault(fire.Map.Name, fire.Callback?.Name, fire.Clock, fire.Deadline, exception));
        }
        finally
        {
            t_running = previous;
            lock (_gate)
            {
                var t = fire.Timer;
                t.Running = false;
                if (t.Detached)
                {
                    ReturnToPool(t);
                }

                if (_waiters > 0)
                {
                    Monitor.PulseAll(_gate);
                }
            }

            fire.Callback?.Program?.ReleaseReference();
        }
    }

    private void RecordFault(TimerCallbackFault fault)
    {
        Interlocked.Increment(ref _faultCount);
        lock (_faults)
        {
            if (_faults.Count < MaxRecordedFaults)
            {
                _faults.Add(fault);
            }
        }

        try
        {
            CallbackFaulted?.Invoke(fault);
        }
        catch (Exception)
        {
            // A failing diagnostic handler must not kill the firing thread either.
        }
    }

    /// <summary>Real time: fires every due timer of every clock, most overdue first. Returns how many fired.</summary>
    internal long FireDueTimers()
    {
        long fired = 0;
        Span<long> now = stackalloc long[ClockCount];
        while (true)
        {
            Fire fire;
            lock (_gate)
            {
                if (_disposed)
                {
                    return fired;
                }

                BpfTimer? best = null;
                var bestOverdue = long.MinValue;
                for (var i = 0; i < ClockCount; i++)
                {
                    if (_queues[i].Peek is not { } head)
                    {
                        continue;
                    }

                    now[i] = _clock.GetTime(ClockOfIndex(i));
                    var overdue = now[i] - head.Deadline;
                    if (overdue >= 0 && (best is null || overdue > bestOverdue))
                    {
                        best = head;
                        bestOverdue = overdue;
                    }
                }

                if (best is null)
                {
                    return fired;
                }

                fire = BeginFire(best, now[best.ClockIndex]);
            }

            RunFire(fire);
            fired++;
        }
    }

    /// <summary>Real time, under the lock: the head deadline of a clock's queue, or null.</summary>
    internal long? HeadDeadline(int clockIndex) => _queues[clockIndex].Peek?.Deadline;

    internal object Gate => _gate;

    private RealTimeDriver EnsureDriver()
    {
        if (_driver is null)
        {
            _driver = new RealTimeDriver(this);
            _driver.Start();
        }

        return _driver;
    }

    /// <summary>Virtual time: the queues of all clocks as one, on the virtual clock's monotonic axis.</summary>
    private sealed class VirtualScheduler(TimerService owner, VirtualClock clock) : IVirtualTimeScheduler
    {
        public long? NextDeadline
        {
            get
            {
                lock (owner._gate)
                {
                    return Earliest(out var monotonic) is null ? null : monotonic;
                }
            }
        }

        public bool FireNext()
        {
            Fire fire;
            lock (owner._gate)
            {
                if (owner._disposed || Earliest(out var monotonic) is not { } head || monotonic > clock.Now)
                {
                    return false;
                }

                fire = owner.BeginFire(head, clock.GetTime(head.Clock));
            }

            owner.RunFire(fire);
            return true;
        }

        // Clock offsets are fixed in virtual time, so each queue's order is its monotonic order; across queues the
        // earlier monotonic deadline wins and the global arming sequence breaks ties.
        private BpfTimer? Earliest(out long monotonic)
        {
            BpfTimer? best = null;
            monotonic = long.MaxValue;
            foreach (var queue in owner._queues)
            {
                if (queue.Peek is not { } head)
                {
                    continue;
                }

                var candidate = clock.ToMonotonic(head.Clock, head.Deadline);
                if (best is null || candidate < monotonic || (candidate == monotonic && head.Sequence < best.Sequence))
                {
                    best = head;
                    monotonic = candidate;
                }
            }

            return best;
        }
    }
}

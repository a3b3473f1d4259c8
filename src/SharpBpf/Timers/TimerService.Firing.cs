using System.Diagnostics;
using System.Runtime.CompilerServices;
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

    /// <summary>How many callbacks have faulted in all (<see cref="Faults"/> keeps only the first ones).</summary>
    public long FaultCount => Interlocked.Read(ref _faultCount);

    private readonly record struct Fire(
        BpfTimer Timer, ITimerCallback? Callback, ITimerMap Map, nint Value, ClockId Clock, long Deadline, long FiredAt);

    // Under the lock: t is due and at the head of its queue.
    private Fire BeginFire(BpfTimer t, long firedAt)
    {
        _queues[t.ClockIndex].Remove(t.Index);
        t.Armed = false;
        _armedCount--;
        t.Running = true;
        var callback = t.Callback;

        // A cancel may drop the timer's reference while the callback runs; the kernel's RCU keeps the program
        // alive until then, this extra reference does the same.
        if (callback is not null)
        {
            callback.Program?.AddReference();
            _fireCount++; // under the lock: every writer holds it, readers use Interlocked.Read
        }

        return new Fire(t, callback, t.Map!, t.ValueAddress, t.Clock, t.Deadline, firedAt);
    }

    private void RunFire(in Fire fire)
    {
        InvokeCallback(fire);
        lock (_gate)
        {
            EndFire(fire);
        }

        fire.Callback?.Program?.ReleaseReference();
    }

    // Outside the lock. Never throws: a throwing callback (or observer) is recorded as a fault.
    private void InvokeCallback(in Fire fire)
    {
        if (fire.Callback is null)
        {
            return;
        }

        var previous = t_running;
        t_running = fire.Timer;
        try
        {
            FireObserver?.Invoke(new TimerFireInfo(fire.Clock, fire.Deadline, fire.FiredAt));
            fire.Callback.Invoke(fire.Map, fire.Map.GetCallbackKey(fire.Value), fire.Value);
        }
        catch (Exception exception)
        {
            RecordFault(new TimerCallbackFault(fire.Map.Name, fire.Callback.Name, fire.Clock, fire.Deadline, exception));
        }
        finally
        {
            t_running = previous;
        }
    }

    // Under the lock, after the callback returned; the caller then releases the fire's program reference outside it.
    private void EndFire(in Fire fire)
    {
        var t = fire.Timer;
        t.Running = false;
        if (t.Detached)
        {
            ReturnToPool(t);
        }

        if (_waiters > 0)
        {
            _callbackEnded.Release(_waiters);
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

    /// <summary>Real time: fires every due timer of every clock, most overdue first. True when nothing is left due;
    /// false when <paramref name="budgetTicks"/> (<see cref="Stopwatch"/> ticks) have passed since the first fire began
    /// and timers are still due (they stay queued, in order, for the next call). The budget starts at the first fire,
    /// so a thread that waited before it (for the lock, for a CPU) is not taken for an overloaded one.</summary>
    internal bool FireDueTimers(long budgetTicks = long.MaxValue)
    {
        var stopAt = long.MaxValue;
        Span<long> now = stackalloc long[ClockCount];
        while (true)
        {
            Fire fire;
            lock (_gate)
            {
                if (_disposed)
                {
                    return true;
                }

                BpfTimer? best = null;
                var bestOverdue = long.MinValue;
                for (var i = 0; i < ClockCount; i++)
                {
                    if (_queues[i].Count == 0)
                    {
                        continue;
                    }

                    ref readonly var head = ref _queues[i].Head;
                    now[i] = _clock.GetTime(ClockOfIndex(i));
                    var overdue = now[i] - head.Deadline;
                    if (overdue >= 0 && (best is null || overdue > bestOverdue))
                    {
                        best = _pool[head.Timer];
                        bestOverdue = overdue;
                    }
                }

                if (best is null)
                {
                    return true;
                }

                if (budgetTicks != long.MaxValue)
                {
                    var timestamp = Stopwatch.GetTimestamp();
                    if (stopAt == long.MaxValue)
                    {
                        stopAt = timestamp + budgetTicks;
                    }
                    else if (timestamp >= stopAt)
                    {
                        return false;
                    }
                }

                fire = BeginFire(best, now[best.ClockIndex]);
            }

            RunFire(fire);
        }
    }

    /// <summary>The fewest due timers a virtual advance sorts into a run instead of popping them one by one (a
    /// setting for tests; the default suits a million timers and keeps small advances on the plain heap).</summary>
    internal int BulkRunMinimum { get; set; } = 4096;

    /// <summary>How many sorted runs virtual advances have built (for tests).</summary>
    internal int RunsBuilt { get; private set; }

    /// <summary>Real time, under the lock: the head deadline of a clock's queue, or null.</summary>
    internal long? HeadDeadline(int clockIndex) => _queues[clockIndex].Count > 0 ? _queues[clockIndex].Head.Deadline : null;

    internal Lock Gate => _gate;

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
    private sealed class VirtualScheduler(TimerService owner, VirtualClock clock) : IBatchingVirtualTimeScheduler
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

        // The clock's loop of NextDeadline + FireNext, one lock per fire instead of three: ending one fire and
        // beginning the next share a critical section. The order is the same: after every callback the earliest
        // queued timer is chosen afresh, so timers armed by callbacks take their place.
        public long FireDue(long target, long budget, int schedulersVersion)
        {
            long fired = 0;
            Fire fire = default;
            var pending = false;
            long runTrigger;
            lock (owner._gate)
            {
                // Sorting pays once an advance has fired a good share of a big queue: past that point, the rest of
                // what is due is taken out in one sorted run (bounded waste when little more is due).
                runTrigger = Math.Max(owner.BulkRunMinimum, owner._armedCount / 16);
            }

            while (true)
            {
                ITimerProgram? finished = null;
                var yieldToWaiters = false;
                lock (owner._gate)
                {
                    if (pending)
                    {
                        owner.EndFire(fire);
                        finished = fire.Callback?.Program;
                        pending = false;

                        // A cancel or free waiting for this callback gets the lock before the next fire begins, as it
                        // would between two separate critical sections.
                        yieldToWaiters = owner._waiters > 0;
                    }

                    if (!yieldToWaiters && fired < budget && !owner._disposed && clock.SchedulersVersion == schedulersVersion
                        && Earliest(out var monotonic) is { } head && monotonic <= target)
                    {
                        clock.MoveForwardTo(monotonic);
                        fire = owner.BeginFire(head, clock.GetTime(head.Clock));
                        pending = true;
                        if (fired == runTrigger)
                        {
                            BuildRuns(target);
                        }

                        PrefetchNextHeads();
                    }
                }

                finished?.ReleaseReference();
                if (yieldToWaiters)
                {
                    continue;
                }

                if (!pending)
                {
                    return fired;
                }

                owner.InvokeCallback(fire);
                fired++;
            }
        }

        // With many timers the next one to fire is a cache miss away (a million timer objects fill no cache); asking
        // for it now overlaps the miss with this callback. A hint only: it changes nothing if the order changes.
        // In a sorted run the order is known further ahead: the pool slots and queue positions of what fires 16 fires
        // from now and the timer objects of what fires 8 from now are requested too.
        private unsafe void PrefetchNextHeads()
        {
            if (!System.Runtime.Intrinsics.X86.Sse.IsSupported)
            {
                return;
            }

            var pool = owner._pool;
            foreach (var queue in owner._queues)
            {
                if (queue.Count == 0)
                {
                    continue;
                }

                if (pool[queue.Head.Timer] is { } next)
                {
                    PrefetchObject(next);
                }

                if (queue.HasRun)
                {
                    if (queue.RunAhead(16) is var far && far >= 0 && far < pool.Length)
                    {
                        System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref pool[far]));
                        queue.PrefetchPosition(far);
                    }

                    if (queue.RunAhead(8) is var near && near >= 0 && pool[near] is { } soon)
                    {
                        PrefetchObject(soon);
                    }
                }
            }
        }

        // A timer object is about 80 bytes, so most straddle two cache lines; a fire reads fields in both.
        private static unsafe void PrefetchObject(BpfTimer timer)
        {
            var address = (byte*)Unsafe.As<BpfTimer, nint>(ref timer);
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(address);
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(address + 64);
        }

        // Under the lock. The limit is the advance's target on each queue's clock (saturating); which entries go to
        // the run only affects speed, never order: Head is the earlier of the run and the heap.
        private void BuildRuns(long target)
        {
            for (var i = 0; i < owner._queues.Length; i++)
            {
                var offset = clock.ToClock(ClockOfIndex(i), 0);
                var limit = offset > 0 && target > long.MaxValue - offset ? long.MaxValue : target + offset;
                if (owner._queues[i].TryBuildRun(limit, owner.BulkRunMinimum))
                {
                    owner.RunsBuilt++;
                }
            }
        }

        // Clock offsets are fixed in virtual time, so each queue's order is its monotonic order; across queues the
        // earlier monotonic deadline wins and the global arming sequence breaks ties.
        private BpfTimer? Earliest(out long monotonic)
        {
            var best = -1;
            uint bestSequence = 0;
            monotonic = long.MaxValue;
            var queues = owner._queues;
            for (var i = 0; i < queues.Length; i++)
            {
                var queue = queues[i];
                if (queue.Count == 0)
                {
                    continue;
                }

                ref readonly var head = ref queue.Head;
                var candidate = clock.ToMonotonic(ClockOfIndex(i), head.Deadline);
                if (best < 0 || candidate < monotonic || (candidate == monotonic && head.Sequence < bestSequence))
                {
                    best = head.Timer;
                    bestSequence = head.Sequence;
                    monotonic = candidate;
                }
            }

            return best < 0 ? null : owner._pool[best];
        }
    }
}

using System.Runtime.CompilerServices;
using SharpBpf.Time;
using static SharpBpf.Timers.TimerErrno;

namespace SharpBpf.Timers;

/// <summary>
/// The BPF timers of one runtime: the four helpers (<c>bpf_timer_init</c> 169, <c>_set_callback</c> 170,
/// <c>_start</c> 171, <c>_cancel</c> 172) with the kernel's order of checks and return values, the lifecycle entry
/// points the maps call, one timer queue per clock, and the thread that fires them: the caller of
/// <see cref="VirtualClock.Advance(long)"/> in virtual time, a timerfd-driven driver thread in real time.
/// </summary>
/// <remarks>
/// A <c>struct bpf_timer</c> slot (16 bytes in map memory) holds a nonzero handle in its first 8 bytes (pool index
/// and generation) and zeros elsewhere; all zero means uninitialized (R1). One lock guards all timer state; callbacks
/// run outside it. Deliberately not done here: verifier rules (R37-R50), map-type rules (R2-R7), NMI context (R19:
/// there is none in user space) and CPU pinning (one firing thread).
/// </remarks>
public sealed partial class TimerService : IDisposable
{
    private const int ClockCount = 3;

    [ThreadStatic]
    private static BpfTimer? t_running;

    // A Lock, not a monitor on an object: every bpf_timer_* call takes it, and a monitor that has once been waited on
    // stays inflated, so each later entry took the slow path (a third of a replay's time in a profile).
    private readonly Lock _gate = new();

    // Signalled when a callback ends while someone waits for it (cancel, free, dispose); see WaitForCallbacks.
    private readonly SemaphoreSlim _callbackEnded = new(0);
    private readonly IBpfClock _clock;
    private readonly VirtualClock? _virtualClock;
    private readonly VirtualScheduler? _virtualScheduler;
    private readonly TimerHeap[] _queues = [new(), new(), new()];
    private BpfTimer?[] _pool = new BpfTimer?[64];
    private int _poolUsed;
    private int[] _freeIndices = new int[64];
    private int _freeCount;
    private uint _armSequence;
    private int _initializedCount;
    private int _armedCount;
    private int _waiters;
    private long _fireCount;
    private bool _disposed;
    private RealTimeDriver? _driver;
    private int _realTimeSchedulingPriority = DefaultRealTimeSchedulingPriority;
    private long _realTimeSpinNanoseconds = 50_000;
    private int _schedulingResult = int.MinValue;

    internal TimerService(IBpfClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        if (clock is VirtualClock virtualClock)
        {
            _virtualClock = virtualClock;
            _virtualScheduler = new VirtualScheduler(this, virtualClock);
            virtualClock.Attach(_virtualScheduler);
        }
        else if (clock.IsVirtual)
        {
            throw new ArgumentException("a virtual clock must be a VirtualClock, which drives the timers", nameof(clock));
        }
    }

    /// <summary>The clock the timers' deadlines are on.</summary>
    public IBpfClock Clock => _clock;

    /// <summary>The longest <see cref="RealTimeSpinNanoseconds"/> may be: the spin runs under SCHED_FIFO by default,
    /// where a long spin would keep normal threads off that CPU.</summary>
    public const long MaxRealTimeSpinNanoseconds = 1_000_000;

    /// <summary>How long before a real-time deadline the driver thread wakes up and then spins (ns, at most
    /// <see cref="MaxRealTimeSpinNanoseconds"/>). The default covers the ~25 µs wake-up latency measured with a 1 ns
    /// timer slack. The spin never lasts longer than this much monotonic time, whatever the clocks do.</summary>
    public long RealTimeSpinNanoseconds
    {
        get => _realTimeSpinNanoseconds;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxRealTimeSpinNanoseconds);
            _realTimeSpinNanoseconds = value;
        }
    }

    /// <summary>The driver thread's SCHED_FIFO priority unless told otherwise: low among real-time threads, above every normal one.</summary>
    public const int DefaultRealTimeSchedulingPriority = 10;

    /// <summary>
    /// SCHED_FIFO priority (1-99) for the real-time driver thread, or 0 for normal scheduling. By default the driver
    /// asks for <see cref="DefaultRealTimeSchedulingPriority"/>: the kernel fires hrtimers from interrupt context, ahead
    /// of every thread, and on a busy machine a normal thread that slept waits milliseconds for a time slice. Needs
    /// CAP_SYS_NICE (or an RLIMIT_RTPRIO); without it the thread silently runs normally and
    /// <see cref="RealTimeSchedulingError"/> says why. Read when the driver thread starts, at the first real-time arm.
    /// Like the kernel's softirq, which hands what is left to the normal-priority ksoftirqd after 2 ms, the driver
    /// drops to normal scheduling when it has fired for 2 ms without catching up (a callback re-arming itself with
    /// 0 ns, a burst of due timers), and takes SCHED_FIFO again once nothing is due: it cannot hold a CPU.
    /// </summary>
    public int RealTimeSchedulingPriority
    {
        get => _realTimeSchedulingPriority;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 99);
            _realTimeSchedulingPriority = value;
        }
    }

    /// <summary>After the driver thread started with a <see cref="RealTimeSchedulingPriority"/>: 0 when SCHED_FIFO was
    /// applied, else the errno of sched_setscheduler (EPERM without the privilege; the thread then runs normally).
    /// Null before that.</summary>
    public int? RealTimeSchedulingError => Volatile.Read(ref _schedulingResult) is var result && result == int.MinValue ? null : result;

    internal void ReportSchedulingResult(int errno) => Volatile.Write(ref _schedulingResult, errno);

    /// <summary>Called on the firing thread just before each callback (lateness measurement).</summary>
    public Action<TimerFireInfo>? FireObserver { get; set; }

    /// <summary>Initialized timers (a timer freed during its own callback no longer counts).</summary>
    public int InitializedCount { get { lock (_gate) { return _initializedCount; } } }

    /// <summary>Armed timers, including ones armed never to fire (R16).</summary>
    public int ArmedCount { get { lock (_gate) { return _armedCount; } } }

    /// <summary>Callbacks run so far.</summary>
    public long FireCount => Interlocked.Read(ref _fireCount);

    /// <summary>True on a thread that is running a timer callback right now.</summary>
    internal static bool InCallback => t_running is not null;

    /// <summary><c>bpf_timer_init(timer, map, flags)</c>: flags select the clock (0, 1 or 7) (R10-R12).</summary>
    internal long Init(nint timer, ITimerMap map, ulong flags)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (flags >= 16 || !TryGetClockIndex((ClockId)flags, out var clockIndex))
        {
            return -EINVAL;
        }

        lock (_gate)
        {
            ThrowIfDisposed();
            if (Resolve(timer) is not null)
            {
                return -EBUSY;
            }

            BpfTimer t;
            try
            {
                t = Allocate();
            }
            catch (OutOfMemoryException)
            {
                return -ENOMEM;
            }

            t.SlotAddress = timer;
            t.ValueAddress = timer - map.TimerOffset;
            t.Map = map;
            t.Clock = (ClockId)flags;
            t.ClockIndex = clockIndex;
            WriteSlot(timer, t.Handle);

            // The kernel publishes first and checks the user count afterwards, so a racing release either sees this
            // timer and frees it, or this init sees the count at zero and undoes itself (R12).
            if (!map.HasUserReferences)
            {
                WriteSlot(timer, 0);
                ReturnToPool(t);
                return -EPERM;
            }

            _initializedCount++;
            return 0;
        }
    }

    /// <summary><c>bpf_timer_set_callback(timer, callback_fn)</c> (R13, R33).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal long SetCallback(nint timer, ITimerCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ITimerProgram? released = null;
        lock (_gate)
        {
            ThrowIfDisposed();
            var t = Resolve(timer);
            if (t is null)
            {
                return -EINVAL;
            }

            if (!t.Map!.HasUserReferences)
            {
                return -EPERM;
            }

            var previous = t.Callback?.Program;
            var next = callback.Program;
            if (!ReferenceEquals(previous, next))
            {
                next?.AddReference();
                released = previous;
            }

            t.Callback = callback;
        }

        released?.ReleaseReference();
        return 0;
    }

    /// <summary><c>bpf_timer_start(timer, nsecs, flags)</c> (R14-R16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal long Start(nint timer, ulong nsecs, ulong flags)
    {
        if ((flags & ~TimerStartFlags.Known) != 0)
        {
            return -EINVAL;
        }

        lock (_gate)
        {
            ThrowIfDisposed();
            var t = Resolve(timer);
            if (t is null || t.Callback is null)
            {
                return -EINVAL;
            }

            Arm(t, Deadline(t.Clock, unchecked((long)nsecs), (flags & TimerStartFlags.Absolute) != 0));
            return 0;
        }
    }

    /// <summary>
    /// <c>bpf_timer_cancel(timer)</c> (R17, R18): unregisters the callback, disarms, and waits for a callback of
    /// this timer running on another thread. Returns 1 if it was armed, else 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal long Cancel(nint timer)
    {
        ITimerProgram? released;
        long result;
        lock (_gate)
        {
            ThrowIfDisposed();
            var t = Resolve(timer);
            if (t is null)
            {
                return -EINVAL;
            }

            var current = t_running;
            if (current == t)
            {
                return -EDEADLK;
            }

            // Only callbacks count as cancellers: a callback that is itself being cancelled by another callback
            // must not wait, or the two would wait for each other (R18, kernel 6.10+).
            var counted = false;
            if (current is not null)
            {
                t.Cancelling++;
                counted = true;
                if (current.Cancelling > 0)
                {
                    t.Cancelling--;
                    return -EDEADLK;
                }
            }

            released = DropCallback(t);
            var generation = t.Generation;
            while (t.Running && t.Generation == generation)
            {
                WaitForCallbacks();
            }

            // A callback that re-armed (after a new set_callback) before it returned is disarmed too, as
            // hrtimer_cancel's retry loop does; a timer freed meanwhile was no longer armed.
            result = t.Generation == generation && Disarm(t) ? 1 : 0;
            if (counted && t.Generation == generation)
            {
                t.Cancelling--;
            }
        }

        released?.ReleaseReference();
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long Deadline(ClockId clock, long nanoseconds, bool absolute)
    {
        if (nanoseconds < 0)
        {
            return BpfTimer.NeverFires; // R16: hrtimer saturates negative expiries to KTIME_MAX
        }

        if (absolute)
        {
            return nanoseconds;
        }

        var now = _clock.GetTime(clock);
        return nanoseconds > long.MaxValue - now ? BpfTimer.NeverFires : now + nanoseconds;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Arm(BpfTimer t, long deadline)
    {
        Disarm(t);
        t.Deadline = deadline;
        var sequence = NextSequence();
        t.Armed = true;
        _armedCount++;
        if (deadline == BpfTimer.NeverFires)
        {
            return;
        }

        var queue = _queues[t.ClockIndex];
        queue.Insert(t.Index, deadline, sequence);
        if (_virtualClock is null && queue.Head.Timer == t.Index)
        {
            EnsureDriver().OnEarlierHead(t.ClockIndex, deadline);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Disarm(BpfTimer t)
    {
        if (!t.Armed)
        {
            return false;
        }

        _queues[t.ClockIndex].Remove(t.Index);
        t.Armed = false;
        _armedCount--;
        return true;
    }

    private static ITimerProgram? DropCallback(BpfTimer t)
    {
        var program = t.Callback?.Program;
        t.Callback = null;
        return program;
    }

    // Sequences are 32-bit so a heap entry fits in 16 bytes. Before the counter would wrap, the queued ones are
    // renumbered 1..n in their current order: comparisons between them stay exact and the counter restarts at n.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private uint NextSequence()
    {
        if (_armSequence == uint.MaxValue)
        {
            RenumberSequences();
        }

        return ++_armSequence;
    }

    private void RenumberSequences()
    {
        var queued = new List<uint>();
        foreach (var queue in _queues)
        {
            queue.CollectSequences(queued);
        }

        queued.Sort();
        var renumbered = new Dictionary<uint, uint>(queued.Count);
        foreach (var sequence in queued)
        {
            renumbered.Add(sequence, (uint)renumbered.Count + 1);
        }

        foreach (var queue in _queues)
        {
            queue.RenumberSequences(sequence => renumbered[sequence]);
        }

        _armSequence = (uint)queued.Count;
    }

    /// <summary>
    /// Called holding the lock, in a loop on the condition waited for: gives the lock up until a callback ends, then
    /// takes it back. The waiter counts itself before letting go, and a callback's end signals under the lock, so no
    /// end is missed; an extra signal only makes a later wait look again.
    /// </summary>
    private void WaitForCallbacks()
    {
        _waiters++;
        _gate.Exit();
        try
        {
            _callbackEnded.Wait();
        }
        finally
        {
            _gate.Enter();
            _waiters--;
        }
    }

    internal static bool TryGetClockIndex(ClockId clock, out int index)
    {
        index = clock switch
        {
            ClockId.Realtime => 0,
            ClockId.Monotonic => 1,
            ClockId.Boottime => 2,
            _ => -1,
        };
        return index >= 0;
    }

    internal static ClockId ClockOfIndex(int index) => index switch
    {
        0 => ClockId.Realtime,
        1 => ClockId.Monotonic,
        _ => ClockId.Boottime,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private BpfTimer? Resolve(nint slot)
    {
        var handle = ReadSlot(slot);
        if (handle == 0)
        {
            return null;
        }

        var index = (long)(uint)handle - 1;
        if (index >= _poolUsed)
        {
            return null;
        }

        var t = _pool[index];
        return t is not null && t.Generation == (uint)(handle >> 32) && t.SlotAddress == slot && t.Map is not null && !t.Detached
            ? t
            : null;
    }

    private static unsafe ulong ReadSlot(nint slot) => Volatile.Read(ref Unsafe.AsRef<ulong>((void*)slot));

    private static unsafe void WriteSlot(nint slot, ulong handle)
    {
        Volatile.Write(ref Unsafe.AsRef<ulong>((void*)(slot + 8)), 0UL);
        Volatile.Write(ref Unsafe.AsRef<ulong>((void*)slot), handle);
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            ThrowDisposed();
        }
    }

    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(TimerService));
}

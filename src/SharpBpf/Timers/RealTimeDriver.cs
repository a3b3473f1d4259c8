using Stopwatch = System.Diagnostics.Stopwatch;
using System.Runtime.InteropServices;
using SharpBpf.Time;
using static SharpBpf.Timers.LinuxTimerNative;

namespace SharpBpf.Timers;

/// <summary>
/// The thread that fires timers on the system clocks. One timerfd per clock (REALTIME, MONOTONIC, BOOTTIME) is set
/// with TFD_TIMER_ABSTIME to a little before the earliest deadline; the thread, with a 1 ns timer slack, polls them,
/// spins the last microseconds and fires every due timer per wake-up. Arming an earlier timer from any thread
/// re-programs the timerfd directly (timerfd_settime is thread-safe). An eventfd stops the thread.
/// </summary>
/// <remarks>Linux only; it does not use Thread.Sleep or System.Threading.Timer, and it never runs two callbacks at
/// once (CPU pinning is therefore meaningless).</remarks>
internal sealed unsafe class RealTimeDriver : IDisposable
{
    private static readonly int[] LinuxClockIds = [(int)ClockId.Realtime, (int)ClockId.Monotonic, (int)ClockId.Boottime];

    private readonly TimerService _service;
    private readonly int[] _timerFds = [-1, -1, -1];
    private readonly long[] _programmed = [long.MaxValue, long.MaxValue, long.MaxValue];
    private readonly int _stopFd;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private bool _fifo;

    public RealTimeDriver(TimerService service)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the real-time timer driver needs Linux timerfd; use a VirtualClock");
        }

        _service = service;
        try
        {
            for (var i = 0; i < LinuxClockIds.Length; i++)
            {
                _timerFds[i] = Check(timerfd_create(LinuxClockIds[i], TFD_NONBLOCK | TFD_CLOEXEC), "timerfd_create");
            }

            _stopFd = Check(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), "eventfd");
        }
        catch
        {
            CloseAll();
            throw;
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "sharpbpf-timers" };
    }

    public void Start() => _thread.Start();

    public Thread Thread => _thread;

    /// <summary>Under the service lock: the head of a clock's queue became <paramref name="deadline"/>.</summary>
    public void OnEarlierHead(int clockIndex, long deadline)
    {
        var wake = WakeTime(deadline);
        if (wake < _programmed[clockIndex])
        {
            Program(clockIndex, wake);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        ulong one = 1;
        write(_stopFd, &one, sizeof(ulong));
        if (_thread.ThreadState != ThreadState.Unstarted && Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        CloseAll();
    }

    private long WakeTime(long deadline)
    {
        var wake = deadline - _service.RealTimeSpinNanoseconds;
        return wake < 1 ? 1 : wake; // an it_value of 0 would disarm the timerfd
    }

    private void Program(int clockIndex, long wake)
    {
        _programmed[clockIndex] = wake;
        var spec = default(ITimerSpec);
        if (wake != long.MaxValue)
        {
            spec.Value.Seconds = wake / 1_000_000_000;
            spec.Value.Nanoseconds = wake % 1_000_000_000;
        }

        timerfd_settime(_timerFds[clockIndex], TFD_TIMER_ABSTIME, &spec, null);
    }

    private void Run()
    {
        prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);
        ApplySchedulingPriority();
        var fds = stackalloc PollFd[LinuxClockIds.Length + 1];
        for (var i = 0; i < LinuxClockIds.Length; i++)
        {
            fds[i] = new PollFd { Fd = _timerFds[i], Events = POLLIN };
        }

        fds[LinuxClockIds.Length] = new PollFd { Fd = _stopFd, Events = POLLIN };
        while (!_stopping)
        {
            FireWithinBudget();
            lock (_service.Gate)
            {
                for (var i = 0; i < LinuxClockIds.Length; i++)
                {
                    var wake = _service.HeadDeadline(i) is { } deadline ? WakeTime(deadline) : long.MaxValue;
                    if (wake != _programmed[i])
                    {
                        Program(i, wake);
                    }
                }
            }

            if (poll(fds, (nuint)(LinuxClockIds.Length + 1), -1) < 0 && Marshal.GetLastPInvokeError() != EINTR)
            {
                break;
            }

            ulong expirations;
            lock (_service.Gate)
            {
                for (var i = 0; i < LinuxClockIds.Length; i++)
                {
                    if (read(_timerFds[i], &expirations, sizeof(ulong)) == sizeof(ulong))
                    {
                        _programmed[i] = long.MaxValue - 1; // expired: the next pass re-programs the head
                    }
                }
            }

            if (!_stopping)
            {
                SpinUntilDue();
            }
        }
    }

    // The kernel fires hrtimers from interrupt context, ahead of every thread; on a busy machine a normal thread
    // waits for its time slice instead (milliseconds). SCHED_FIFO, when asked for and permitted, puts this thread
    // ahead of normal ones; without the privilege it silently stays normal (RealTimeSchedulingError says why).
    private void ApplySchedulingPriority()
    {
        var priority = _service.RealTimeSchedulingPriority;
        if (priority <= 0)
        {
            return;
        }

        var errno = _service.SchedulingPolicySetter(SCHED_FIFO, priority);
        _fifo = errno == 0;
        _service.ReportSchedulingResult(errno);
    }

    // A SCHED_FIFO thread that never sleeps keeps normal threads off its CPU. The kernel's softirq runs expired timers
    // for at most 2 ms and hands the rest to ksoftirqd, a normal thread; likewise the driver, after firing for the
    // budget without catching up, drops to normal scheduling and keeps firing (same order, same callbacks), and asks
    // for SCHED_FIFO again once nothing is due, before it sleeps.
    private void FireWithinBudget()
    {
        if (!_fifo)
        {
            _service.FireDueTimers();
            return;
        }

        var budget = (long)(_service.RealTimeBusyBudgetNanoseconds * (double)Stopwatch.Frequency / 1e9);
        if (_service.FireDueTimers(budget))
        {
            return;
        }

        // Lowering one's own priority is always permitted; should it fail, the thread simply stays as it was.
        _service.SchedulingPolicySetter(SCHED_OTHER, 0);
        _service.FireDueTimers();
        _fifo = _service.SchedulingPolicySetter(SCHED_FIFO, _service.RealTimeSchedulingPriority) == 0;
    }

    /// <summary>sched_setscheduler on the calling thread: 0, or the errno (EPERM without CAP_SYS_NICE).</summary>
    internal static int SetOwnSchedulingPolicy(int policy, int priority) =>
        sched_setscheduler(0, policy, &priority) == 0 ? 0 : Marshal.GetLastPInvokeError();

    // Woken up a little early on purpose: spin until the earliest head is due. The spin is bounded by the margin in
    // monotonic time, not by the timer's clock: a REALTIME clock set back during the spin must not keep a SCHED_FIFO
    // thread spinning.
    private void SpinUntilDue()
    {
        var margin = _service.RealTimeSpinNanoseconds;
        var clock = _service.Clock;
        for (var i = 0; i < LinuxClockIds.Length; i++)
        {
            long? deadline;
            lock (_service.Gate)
            {
                deadline = _service.HeadDeadline(i);
            }

            if (deadline is { } due && !_stopping)
            {
                SpinUntil(clock, (ClockId)LinuxClockIds[i], due, margin);
            }
        }
    }

    /// <summary>Spins until <paramref name="clockId"/> reaches <paramref name="due"/>, when that is at most
    /// <paramref name="margin"/> away, and for at most <paramref name="margin"/> ns of monotonic time whatever the clock
    /// does. True when the clock reached the deadline.</summary>
    internal static bool SpinUntil(IBpfClock clock, ClockId clockId, long due, long margin)
    {
        var now = clock.GetTime(clockId);
        if (due - now > margin)
        {
            return false;
        }

        var giveUpAt = Stopwatch.GetTimestamp() + (long)(margin * (double)Stopwatch.Frequency / 1e9);
        while (now < due)
        {
            if (Stopwatch.GetTimestamp() >= giveUpAt)
            {
                return false;
            }

            Thread.SpinWait(8);
            now = clock.GetTime(clockId);
        }

        return true;
    }

    private void CloseAll()
    {
        for (var i = 0; i < _timerFds.Length; i++)
        {
            if (_timerFds[i] >= 0)
            {
                close(_timerFds[i]);
                _timerFds[i] = -1;
            }
        }

        if (_stopFd > 0)
        {
            close(_stopFd);
        }
    }

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new InvalidOperationException($"{call} failed: errno {Marshal.GetLastPInvokeError()}");
}

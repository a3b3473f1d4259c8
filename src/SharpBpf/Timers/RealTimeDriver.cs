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
            _service.FireDueTimers();
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
    // ahead of normal ones. Callbacks are verified BPF and terminate, and the kernel's RT throttling still applies.
    private void ApplySchedulingPriority()
    {
        var priority = _service.RealTimeSchedulingPriority;
        if (priority <= 0)
        {
            return;
        }

        var errno = sched_setscheduler(0, SCHED_FIFO, &priority) == 0 ? 0 : Marshal.GetLastPInvokeError();
        _service.ReportSchedulingResult(errno);
    }

    // Woken up a little early on purpose: spin until the earliest head is due, for at most the spin margin.
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

            if (deadline is not { } due)
            {
                continue;
            }

            var clockId = (ClockId)LinuxClockIds[i];
            var now = clock.GetTime(clockId);
            if (due - now > margin)
            {
                continue;
            }

            while (now < due && !_stopping)
            {
                Thread.SpinWait(8);
                now = clock.GetTime(clockId);
            }
        }
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

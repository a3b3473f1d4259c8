namespace SharpBpf.Timers;

// Seams for the tests: with one firing thread per service, two callbacks never run at once, yet the cancel rules for
// that case (R18) are part of the contract the helpers keep.
public sealed partial class TimerService
{
    /// <summary>Threads blocked in a cancel or free, waiting for a running callback.</summary>
    internal int WaitingThreads
    {
        get
        {
            lock (_gate)
            {
                return _waiters;
            }
        }
    }

    /// <summary>Fires an armed timer on the calling thread now, whatever its deadline. False when not armed.</summary>
    internal bool FireNowOnThisThread(nint timer)
    {
        Fire fire;
        lock (_gate)
        {
            if (Resolve(timer) is not { Armed: true } t || !_queues[t.ClockIndex].Contains(t.Index))
            {
                return false;
            }

            fire = BeginFire(t, _clock.GetTime(t.Clock));
        }

        RunFire(fire);
        return true;
    }

    /// <summary>The arming sequence counter: lets a test start near the 32-bit wrap that triggers renumbering.</summary>
    internal uint ArmSequence
    {
        get
        {
            lock (_gate)
            {
                return _armSequence;
            }
        }

        set
        {
            lock (_gate)
            {
                _armSequence = value;
            }
        }
    }

    /// <summary>The real-time driver's thread, once started.</summary>
    internal Thread? DriverThread
    {
        get
        {
            lock (_gate)
            {
                return _driver?.Thread;
            }
        }
    }

    /// <summary>How the driver thread changes its own scheduling: (policy, priority) to 0 or an errno. A seam so the
    /// fallback without the privilege, and the drop to normal priority when overloaded, are testable as root.</summary>
    internal Func<int, int, int> SchedulingPolicySetter { get; set; } = RealTimeDriver.SetOwnSchedulingPolicy;

    /// <summary>How long the driver fires without catching up before it gives up SCHED_FIFO (ns): the kernel's
    /// MAX_SOFTIRQ_TIME, after which softirq work goes to ksoftirqd, a normal thread.</summary>
    internal long RealTimeBusyBudgetNanoseconds { get; set; } = 2_000_000;
}

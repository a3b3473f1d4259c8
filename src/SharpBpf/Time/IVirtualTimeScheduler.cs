namespace SharpBpf.Time;

/// <summary>
/// What a <see cref="VirtualClock"/> drives while it advances: the timer queues. Deadlines are on the clock's
/// monotonic axis; the scheduler converts deadlines of other clocks, which all move together in virtual time.
/// </summary>
internal interface IVirtualTimeScheduler
{
    /// <summary>The earliest pending deadline in monotonic nanoseconds, or null when nothing is armed.</summary>
    long? NextDeadline { get; }

    /// <summary>
    /// Fires the single earliest timer that is due at the clock's current time (deadline order, then arming order).
    /// One at a time, so that a timer armed by a callback for "now" runs after the ones already queued.
    /// </summary>
    /// <returns>False when nothing was due.</returns>
    bool FireNext();
}

/// <summary>
/// A scheduler that can run a whole advance itself when it is the only one attached to its clock, saving the
/// per-fire round trips of <see cref="IVirtualTimeScheduler.NextDeadline"/> and <see cref="IVirtualTimeScheduler.FireNext"/>.
/// </summary>
internal interface IBatchingVirtualTimeScheduler : IVirtualTimeScheduler
{
    /// <summary>
    /// Fires, one at a time in (deadline, arming order), every timer due at or before <paramref name="target"/>,
    /// including timers armed during the call, and before each fire moves the clock to that timer's deadline with
    /// <see cref="VirtualClock.MoveForwardTo"/>. Stops after <paramref name="budget"/> fires, or as soon as the clock's
    /// <see cref="VirtualClock.SchedulersVersion"/> differs from <paramref name="schedulersVersion"/> (a callback
    /// attached or detached a scheduler: the clock must merge queues again).
    /// </summary>
    /// <returns>How many timers fired.</returns>
    long FireDue(long target, long budget, int schedulersVersion);
}

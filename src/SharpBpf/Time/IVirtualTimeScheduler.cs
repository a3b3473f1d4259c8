namespace SharpBpf.Time;

/// <summary>
/// What a <see cref="VirtualClock"/> drives while it advances: the timer queues. Deadlines are on the clock's
/// monotonic axis; the scheduler converts deadlines of other clocks, which all move together in virtual time.
/// </summary>
public interface IVirtualTimeScheduler
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

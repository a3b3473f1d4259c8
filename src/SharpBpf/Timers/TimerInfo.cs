using SharpBpf.Time;

namespace SharpBpf.Timers;

/// <summary>
/// One initialized <c>bpf_timer</c> as <see cref="TimerService.GetTimers"/> (and <c>--show-timers</c>) lists it: a
/// snapshot taken under the timer lock, so the fields agree with each other at one instant.
/// </summary>
public sealed record TimerInfo
{
    // Not positional: the map and the value's host address are the runtime's, and must not appear in the public API.
    internal TimerInfo(
        ITimerMap map, byte[] key, nint valueAddress, ClockId clock, bool armed, long? expiry, string? callback, bool running)
    {
        Map = map;
        Key = key;
        ValueAddress = valueAddress;
        Clock = clock;
        Armed = armed;
        Expiry = expiry;
        Callback = callback;
        Running = running;
    }

    internal ITimerMap Map { get; }

    /// <summary>A copy of the element's key bytes (the u32 index, little-endian, for an ARRAY).</summary>
    public byte[] Key { get; }

    internal nint ValueAddress { get; }

    /// <summary>The clock the timer was initialized on (<c>bpf_timer_init</c>'s flags): its deadlines are on it.</summary>
    public ClockId Clock { get; }

    /// <summary>True while the timer is started and has not fired or been cancelled.</summary>
    public bool Armed { get; }

    /// <summary>
    /// Deadline on <see cref="Clock"/> in ns; null when the timer is armed but never fires (negative nsecs, R16) or is
    /// not armed.
    /// </summary>
    public long? Expiry { get; }

    /// <summary>The registered callback's name, or null when none is registered.</summary>
    public string? Callback { get; }

    /// <summary>True while the timer's callback is running on some thread.</summary>
    public bool Running { get; }

    /// <summary>The name of the map whose element holds the timer.</summary>
    public string MapName => Map.Name;
}

/// <summary>A fire as the firing thread saw it: <c>FiredAt - Deadline</c> is the lateness (0 in virtual time).</summary>
/// <param name="Clock">The clock the timer ran on.</param>
/// <param name="Deadline">When the timer was due, in ns on <paramref name="Clock"/>.</param>
/// <param name="FiredAt">When its callback started, in ns on the same clock.</param>
public readonly record struct TimerFireInfo(ClockId Clock, long Deadline, long FiredAt)
{
    /// <summary>How late the callback started, in ns: 0 in virtual time, the wake-up latency on the real clock.</summary>
    public long Lateness => FiredAt - Deadline;
}

/// <summary>A callback that threw (a fault in the BPF callback). The timers keep running.</summary>
/// <param name="MapName">The map whose element held the timer.</param>
/// <param name="Callback">The callback's name, when known.</param>
/// <param name="Clock">The clock the timer ran on.</param>
/// <param name="Deadline">When the timer was due, in ns on <paramref name="Clock"/>.</param>
/// <param name="Exception">What the callback threw (usually a <see cref="SharpBpf.Execution.ProgramFaultException"/>).</param>
public sealed record TimerCallbackFault(string MapName, string? Callback, ClockId Clock, long Deadline, Exception Exception);

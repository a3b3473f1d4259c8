using SharpBpf.Time;

namespace SharpBpf.Timers;

/// <summary>One initialized timer as <c>--show-timers</c> lists it.</summary>
/// <param name="Key">A copy of the element's key bytes (the u32 index for an ARRAY).</param>
/// <param name="Expiry">Deadline on <paramref name="Clock"/> in ns; null when the timer is armed but never fires
/// (negative nsecs, R16) or is not armed.</param>
/// <param name="Callback">The registered callback's name, or null when none is registered.</param>
public sealed record TimerInfo(
    ITimerMap Map, byte[] Key, nint ValueAddress, ClockId Clock, bool Armed, long? Expiry, string? Callback, bool Running)
{
    public string MapName => Map.Name;
}

/// <summary>A fire as the firing thread saw it: <c>FiredAt - Deadline</c> is the lateness (0 in virtual time).</summary>
public readonly record struct TimerFireInfo(ClockId Clock, long Deadline, long FiredAt)
{
    public long Lateness => FiredAt - Deadline;
}

/// <summary>A callback that threw (a fault in the BPF callback). The timers keep running.</summary>
public sealed record TimerCallbackFault(string MapName, string? Callback, ClockId Clock, long Deadline, Exception Exception);

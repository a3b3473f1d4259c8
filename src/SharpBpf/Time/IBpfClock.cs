namespace SharpBpf.Time;

/// <summary>
/// The runtime's source of time. Every time helper (<c>bpf_ktime_get_ns</c>, <c>_boot_ns</c>, <c>_coarse_ns</c>,
/// <c>_tai_ns</c>, <c>jiffies64</c>) and every timer deadline reads it; nothing in the library reads the system
/// clock any other way, so a <see cref="VirtualClock"/> makes a whole run deterministic.
/// </summary>
public interface IBpfClock
{
    /// <summary>Nanoseconds on <paramref name="clock"/>, as <c>clock_gettime</c> would give them.</summary>
    long GetTime(ClockId clock);

    /// <summary>True when time only moves when a caller advances it.</summary>
    bool IsVirtual { get; }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SharpBpf.Time;

/// <summary>
/// The host's clocks through <c>clock_gettime</c>, so monotonic, boottime, realtime and TAI mean exactly what they
/// mean to the kernel's BPF helpers. This is the one place in the library that reads real time.
/// </summary>
public sealed unsafe partial class SystemClock : IBpfClock
{
    /// <summary>The one instance.</summary>
    public static SystemClock Instance { get; } = new();

    private SystemClock()
    {
    }

    /// <inheritdoc/>
    public bool IsVirtual => false;

    /// <inheritdoc/>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public long GetTime(ClockId clock)
    {
        if (!OperatingSystem.IsLinux())
        {
            return FallbackTime(clock);
        }

        TimeSpec ts;
        if (clock_gettime((int)clock, &ts) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(clock), clock, "the host does not support this clock");
        }

        return (ts.Seconds * 1_000_000_000L) + ts.Nanoseconds;
    }

    // Elsewhere (a developer's macOS or Windows box) only the distinction between wall time and elapsed time is kept.
    private static long FallbackTime(ClockId clock) => clock switch
    {
        ClockId.Realtime or ClockId.RealtimeCoarse or ClockId.RealtimeAlarm or ClockId.Tai =>
            (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100,
        _ => (long)(System.Diagnostics.Stopwatch.GetTimestamp() * (1_000_000_000.0 / System.Diagnostics.Stopwatch.Frequency)),
    };

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    // Read on every timer arm and every time helper: no errno capture (unused) and no GC transition, which together
    // cost about as much as the vDSO call itself. Allowed because clock_gettime returns within a microsecond and never
    // blocks or calls back into managed code, even when it falls back to the syscall.
    [LibraryImport("libc")]
    [SuppressGCTransition]
    private static partial int clock_gettime(int clockId, TimeSpec* ts);
}

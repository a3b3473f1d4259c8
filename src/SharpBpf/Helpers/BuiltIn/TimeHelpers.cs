using SharpBpf.Time;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// bpf_ktime_get_ns (CLOCK_MONOTONIC), _boot_ns (CLOCK_BOOTTIME), _coarse_ns (CLOCK_MONOTONIC_COARSE), _tai_ns
/// (CLOCK_TAI) and bpf_jiffies64, all read from the environment's <see cref="IBpfClock"/>.
/// Does not: emulate the coarse clock's tick granularity (it reads the clock's coarse id and trusts it).
/// </summary>
internal sealed class TimeHelpers(HelperEnvironment environment)
{
    private readonly ulong _initialJiffies = InitialJiffies(environment.JiffiesHz);
    private readonly ulong _nanosecondsPerJiffy = 1_000_000_000UL / (ulong)environment.JiffiesHz;

    /// <summary>The kernel's INITIAL_JIFFIES on 64-bit: <c>(unsigned long)(unsigned int)(-300 * HZ)</c>, so jiffies wrap 32 bits five minutes after boot.</summary>
    public static ulong InitialJiffies(int hz) => (uint)(-300 * hz);

    public ulong KtimeGetNs(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        (ulong)environment.Clock.GetTime(ClockId.Monotonic);

    public ulong KtimeGetBootNs(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        (ulong)environment.Clock.GetTime(ClockId.Boottime);

    public ulong KtimeGetCoarseNs(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        (ulong)environment.Clock.GetTime(ClockId.MonotonicCoarse);

    public ulong KtimeGetTaiNs(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        (ulong)environment.Clock.GetTime(ClockId.Tai);

    /// <summary>Jiffies counted from INITIAL_JIFFIES at monotonic time zero (boot), HZ from the environment.</summary>
    public ulong Jiffies64(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        _initialJiffies + (ulong)Math.Max(0, environment.Clock.GetTime(ClockId.Monotonic)) / _nanosecondsPerJiffy;
}

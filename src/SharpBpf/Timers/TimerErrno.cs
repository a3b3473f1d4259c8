namespace SharpBpf.Timers;

/// <summary>The errno values the timer helpers return, negated, exactly as the kernel's (spec: bpf-timers.md).</summary>
internal static class TimerErrno
{
    public const long EPERM = 1;
    public const long ENOMEM = 12;
    public const long EBUSY = 16;
    public const long EINVAL = 22;
    public const long EDEADLK = 35;
    public const long EOPNOTSUPP = 95;
}

/// <summary>Flags of <c>bpf_timer_start</c> (uapi <c>enum bpf_timer_flags</c>).</summary>
internal static class TimerStartFlags
{
    /// <summary>nsecs is an absolute time on the timer's clock (R15).</summary>
    public const ulong Absolute = 1;

    /// <summary>Run the callback on the arming CPU. Accepted; SharpBpf has one timer thread, so it changes nothing.</summary>
    public const ulong CpuPin = 2;

    internal const ulong Known = Absolute | CpuPin;
}

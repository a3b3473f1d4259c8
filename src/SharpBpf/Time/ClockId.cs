namespace SharpBpf.Time;

/// <summary>Linux clock ids (<c>include/uapi/linux/time.h</c>); the values are the kernel's.</summary>
public enum ClockId
{
    /// <summary><c>CLOCK_REALTIME</c>: wall-clock time since the Unix epoch; it jumps when the clock is set.</summary>
    Realtime = 0,
    /// <summary><c>CLOCK_MONOTONIC</c>: time since boot, not counting suspend; never jumps (<c>bpf_ktime_get_ns</c>).</summary>
    Monotonic = 1,
    /// <summary><c>CLOCK_PROCESS_CPU_TIME</c>: CPU time of the process.</summary>
    ProcessCpuTime = 2,
    /// <summary><c>CLOCK_THREAD_CPU_TIME</c>: CPU time of the thread.</summary>
    ThreadCpuTime = 3,
    /// <summary><c>CLOCK_MONOTONIC_RAW</c>: monotonic time without NTP frequency adjustment.</summary>
    MonotonicRaw = 4,
    /// <summary><c>CLOCK_REALTIME_COARSE</c>: realtime at tick resolution.</summary>
    RealtimeCoarse = 5,
    /// <summary><c>CLOCK_MONOTONIC_COARSE</c>: monotonic time at tick resolution (<c>bpf_ktime_get_coarse_ns</c>).</summary>
    MonotonicCoarse = 6,
    /// <summary><c>CLOCK_BOOTTIME</c>: monotonic time that keeps counting during suspend (<c>bpf_ktime_get_boot_ns</c>).</summary>
    Boottime = 7,
    /// <summary><c>CLOCK_REALTIME_ALARM</c>: realtime that wakes the system from suspend.</summary>
    RealtimeAlarm = 8,
    /// <summary><c>CLOCK_BOOTTIME_ALARM</c>: boottime that wakes the system from suspend.</summary>
    BoottimeAlarm = 9,
    /// <summary><c>CLOCK_TAI</c>: International Atomic Time: realtime without leap seconds (<c>bpf_ktime_get_tai_ns</c>).</summary>
    Tai = 11,
}

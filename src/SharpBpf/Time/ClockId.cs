namespace SharpBpf.Time;

/// <summary>Linux clock ids (<c>include/uapi/linux/time.h</c>); the values are the kernel's.</summary>
public enum ClockId
{
    Realtime = 0,
    Monotonic = 1,
    ProcessCpuTime = 2,
    ThreadCpuTime = 3,
    MonotonicRaw = 4,
    RealtimeCoarse = 5,
    MonotonicCoarse = 6,
    Boottime = 7,
    RealtimeAlarm = 8,
    BoottimeAlarm = 9,
    Tai = 11,
}

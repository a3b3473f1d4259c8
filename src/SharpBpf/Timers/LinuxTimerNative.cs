using System.Runtime.InteropServices;

namespace SharpBpf.Timers;

/// <summary>The few Linux calls the real-time driver needs: timerfd, eventfd, poll, prctl, sched_setscheduler.</summary>
internal static unsafe partial class LinuxTimerNative
{
    public const int TFD_NONBLOCK = 0x800;
    public const int TFD_CLOEXEC = 0x80000;
    public const int TFD_TIMER_ABSTIME = 1;
    public const int EFD_NONBLOCK = 0x800;
    public const int EFD_CLOEXEC = 0x80000;
    public const short POLLIN = 1;
    public const int PR_SET_TIMERSLACK = 29;
    public const int EINTR = 4;
    public const int SCHED_OTHER = 0;
    public const int SCHED_FIFO = 1;

    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct ITimerSpec
    {
        public TimeSpec Interval;
        public TimeSpec Value;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int timerfd_create(int clockId, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int timerfd_settime(int fd, int flags, ITimerSpec* newValue, ITimerSpec* oldValue);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int eventfd(uint initial, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint read(int fd, void* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(int fd, void* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    /// <summary>With pid 0 it applies to the calling thread only (Linux scheduling is per thread).</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static partial int sched_setscheduler(int pid, int policy, int* priority);

    /// <summary>The policy of thread <paramref name="tid"/> (0: the calling thread).</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static partial int sched_getscheduler(int tid);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}

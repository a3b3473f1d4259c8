using System.Runtime.InteropServices;

namespace SharpBpf.Benchmarks;

/// <summary>
/// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID), in ns: time the thread ran, not time it waited for a CPU.
/// The kernel's BPF_PROG_TEST_RUN duration leaves out the time its loop yields to the scheduler, so on a loaded
/// machine this, not the wall clock, is what SharpBpf's side must be compared with.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static long Nanoseconds()
    {
        if (clock_gettime(ClockThreadCpuTimeId, out var ts) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        }

        return (ts.Seconds * 1_000_000_000L) + ts.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc")]
    private static partial int clock_gettime(int clockId, out TimeSpec ts);
}

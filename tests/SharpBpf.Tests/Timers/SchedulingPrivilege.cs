using System.Globalization;
using SharpBpf.Tests.Support;
using SharpBpf.Timers;

namespace SharpBpf.Tests.Timers;

/// <summary>
/// Whether this process may put a thread under SCHED_FIFO, found by asking the kernel. Being root does not say: a
/// container's root usually lacks CAP_SYS_NICE, and an RLIMIT_RTPRIO grants the policy without root.
/// </summary>
internal static class SchedulingPrivilege
{
    private const int CapSysNice = 23;

    /// <summary>The errno sched_setscheduler(SCHED_FIFO, <paramref name="priority"/>) gives (0: permitted). Tried on a
    /// thread of its own that ends right after, so no thread of this process keeps the policy.</summary>
    public static int TrySchedFifo(int priority)
    {
        var errno = -1;
        CheckedThread.Start(() => errno = RealTimeDriver.SetOwnSchedulingPolicy(LinuxTimerNative.SCHED_FIFO, priority)).Join();
        return errno;
    }

    /// <summary>What /proc/self/status says of CAP_SYS_NICE, for messages: the usual reason SCHED_FIFO is refused.</summary>
    public static string Describe()
    {
        var capEff = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        if (capEff is null || !ulong.TryParse(capEff["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask))
        {
            return "CapEff unreadable";
        }

        return (mask & (1UL << CapSysNice)) != 0 ? "CAP_SYS_NICE in CapEff" : "no CAP_SYS_NICE in CapEff";
    }
}

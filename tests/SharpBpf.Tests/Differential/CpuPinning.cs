using System.Runtime.InteropServices;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// Pins the calling thread to CPU 0 for a scope. The kernel's test run executes on the caller's CPU, so per-CPU maps
/// then fill the same slot in both worlds (SharpBpf's runs count as CPU 0) and can be compared byte for byte.
/// </summary>
internal static partial class CpuPinning
{
    public static IDisposable PinToCpu0()
    {
        var previous = new ulong[16];
        _ = sched_getaffinity(0, (nuint)(previous.Length * sizeof(ulong)), previous);
        var only0 = new ulong[16];
        only0[0] = 1;
        if (sched_setaffinity(0, (nuint)(only0.Length * sizeof(ulong)), only0) != 0)
        {
            throw new InvalidOperationException($"sched_setaffinity failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return new Restore(previous);
    }

    private sealed class Restore(ulong[] mask) : IDisposable
    {
        public void Dispose() => _ = sched_setaffinity(0, (nuint)(mask.Length * sizeof(ulong)), mask);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setaffinity(int pid, nuint size, ulong[] mask);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_getaffinity(int pid, nuint size, ulong[] mask);
}

using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// bpf_spin_lock (93) and bpf_spin_unlock (94) on the 4-byte <c>struct bpf_spin_lock</c> in a map value: 0 free, 1
/// held. The verifier makes a program release the lock on every path and call nothing while holding it, so a holder
/// is a few instructions away from unlocking and spinning is what the kernel does too. A program that faulted while
/// holding it never releases it, though: after <see cref="GiveUpAfter"/> of spinning the waiting run faults instead
/// of hanging the host.
/// </summary>
internal static class SpinLockHelpers
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(1);

    public static ulong Lock(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        ref var word = ref Word(context, r1);
        if (Interlocked.CompareExchange(ref word, 1, 0) == 0)
        {
            return 0;
        }

        var started = Stopwatch.GetTimestamp();
        var spinner = default(SpinWait);
        while (Interlocked.CompareExchange(ref word, 1, 0) != 0)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            if (Stopwatch.GetElapsedTime(started) > GiveUpAfter)
            {
                context.Fault($"bpf_spin_lock at 0x{r1:x} still held after {GiveUpAfter.TotalSeconds:0} s (its holder faulted before unlocking)");
            }
        }

        return 0;
    }

    public static ulong Unlock(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Volatile.Write(ref Word(context, r1), 0);
        return 0;
    }

    private static ref int Word(HelperCallContext context, ulong address) =>
        ref MemoryMarshal.Cast<byte, int>(context.GetMemory(address, 4, MemoryAccess.Write))[0];
}

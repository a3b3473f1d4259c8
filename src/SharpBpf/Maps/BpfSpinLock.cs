namespace SharpBpf.Maps;

/// <summary>
/// The <c>struct bpf_spin_lock</c> word (4 bytes in a map value): 0 free, 1 held. The helpers
/// <c>bpf_spin_lock</c>/<c>bpf_spin_unlock</c> and BPF_F_LOCK copies use this same protocol so they exclude
/// each other. Not reentrant, no owner tracking (the verifier guarantees balanced use).
/// </summary>
internal static unsafe class BpfSpinLock
{
    public static void Acquire(int* lockWord)
    {
        if (Interlocked.CompareExchange(ref *lockWord, 1, 0) == 0) return;
        var spinner = new SpinWait();
        while (Volatile.Read(ref *lockWord) != 0 || Interlocked.CompareExchange(ref *lockWord, 1, 0) != 0)
            spinner.SpinOnce(sleep1Threshold: -1);
    }

    public static void Release(int* lockWord) => Volatile.Write(ref *lockWord, 0);

    public static void Acquire(nint lockAddress) => Acquire((int*)lockAddress);
    public static void Release(nint lockAddress) => Release((int*)lockAddress);
}

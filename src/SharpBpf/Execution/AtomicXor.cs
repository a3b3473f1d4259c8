namespace SharpBpf.Execution;

/// <summary>
/// Atomic xor for BPF_XOR / BPF_XOR | BPF_FETCH. .NET has no Interlocked xor, so both engines share this
/// compare-exchange loop; it returns the old value.
/// </summary>
internal static class AtomicXor
{
    public static int Exchange(ref int cell, int value)
    {
        var old = Volatile.Read(ref cell);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref cell, old ^ value, old);
            if (seen == old)
            {
                return old;
            }

            old = seen;
        }
    }

    public static long Exchange(ref long cell, long value)
    {
        var old = Volatile.Read(ref cell);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref cell, old ^ value, old);
            if (seen == old)
            {
                return old;
            }

            old = seen;
        }
    }
}

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// The helpers the conformance data calls (uBPF's test helpers, ids 0–5), whose ids clash with the kernel's: a
/// conformance runner registers them in its own registry instead of the built-ins.
/// </summary>
internal static class ConformanceHelpers
{
    /// <summary>uBPF's id for <see cref="Unwind"/> (the kernel's bpf_ktime_get_ns).</summary>
    public const int UnwindId = 5;

    /// <summary>A registry holding every conformance helper.</summary>
    public static HelperRegistry CreateRegistry() => new HelperRegistry()
        .Register(0, "gather_bytes", GatherBytes)
        .Register(1, "memfrob", MemFrob)
        .Register(2, "no_op", (_, _, _, _, _, _) => 0)
        .Register(3, "sqrti", (_, r1, _, _, _, _) => IntegerSquareRoot(r1))
        .Register(4, "strcmp_ext", StringCompare)
        .Register(UnwindId, "unwind", Unwind);

    /// <summary>Returns r1; when r1 is 0 the whole run stops at once with r0 = 0.</summary>
    public static ulong Unwind(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        if (r1 == 0)
        {
            context.EndRun(0);
        }

        return r1;
    }

    /// <summary>Packs the low bytes of r1..r5 as <c>a&lt;&lt;32 | b&lt;&lt;24 | c&lt;&lt;16 | d&lt;&lt;8 | e</c>.</summary>
    private static ulong GatherBytes(HelperCallContext context, ulong a, ulong b, ulong c, ulong d, ulong e) =>
        ((a & 0xff) << 32) | ((b & 0xff) << 24) | ((c & 0xff) << 16) | ((d & 0xff) << 8) | (e & 0xff);

    /// <summary>XORs each of r2 bytes at r1 with 42.</summary>
    private static ulong MemFrob(HelperCallContext context, ulong address, ulong length, ulong r3, ulong r4, ulong r5)
    {
        var memory = context.GetMemory(address, length, MemoryAccess.ReadWrite);
        for (var i = 0; i < memory.Length; i++)
        {
            memory[i] ^= 42;
        }

        return 0;
    }

    private static ulong IntegerSquareRoot(ulong value)
    {
        var root = (ulong)Math.Sqrt(value);
        while (root * root > value) root--;
        while ((root + 1) * (root + 1) <= value && root < uint.MaxValue) root++;
        return root;
    }

    private static ulong StringCompare(HelperCallContext context, ulong left, ulong right, ulong r3, ulong r4, ulong r5)
    {
        for (ulong i = 0; ; i++)
        {
            var a = context.GetMemory(left + i, 1, MemoryAccess.Read)[0];
            var b = context.GetMemory(right + i, 1, MemoryAccess.Read)[0];
            if (a != b || a == 0)
            {
                return (ulong)(long)(a - b);
            }
        }
    }
}

using SharpBpf.Helpers;

namespace SharpBpf.Runtime.Conformance;

/// <summary>
/// The helpers the conformance data calls (uBPF's test helpers, ids 0–5). They exist for the test data only; a
/// runtime that loads real objects registers the kernel's helpers under these ids instead.
/// </summary>
public static class ConformanceHelpers
{
    public static HelperRegistry Create() => new HelperRegistry()
        .Register(0, "gather_bytes", GatherBytes)
        .Register(1, "memfrob", MemFrob)
        .Register(2, "no_op", (_, _, _, _, _, _) => 0)
        .Register(3, "sqrti", (_, r1, _, _, _, _) => IntegerSquareRoot(r1))
        .Register(4, "strcmp_ext", StringCompare)
        .Register(5, "unwind", (_, r1, _, _, _, _) => r1);

    /// <summary>Packs the low bytes of r1..r5 as <c>a&lt;&lt;32 | b&lt;&lt;24 | c&lt;&lt;16 | d&lt;&lt;8 | e</c>.</summary>
    private static ulong GatherBytes(HelperCallContext context, ulong a, ulong b, ulong c, ulong d, ulong e) =>
        ((a & 0xff) << 32) | ((b & 0xff) << 24) | ((c & 0xff) << 16) | ((d & 0xff) << 8) | (e & 0xff);

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

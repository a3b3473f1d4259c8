namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// Helpers of the uBPF / bpf_conformance test suite, whose ids clash with the kernel's: a conformance runner
/// registers them in its own registry instead of the built-ins.
/// </summary>
public static class ConformanceHelpers
{
    /// <summary>uBPF's id for <see cref="Unwind"/> (the kernel's bpf_ktime_get_ns).</summary>
    public const int UnwindId = 5;

    /// <summary>Returns r1; when r1 is 0 the whole run stops at once with r0 = 0.</summary>
    public static ulong Unwind(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        if (r1 == 0)
        {
            context.EndRun(0);
        }

        return r1;
    }

    /// <summary>A registry holding the conformance helpers.</summary>
    public static HelperRegistry CreateRegistry() =>
        new HelperRegistry().Register(UnwindId, "unwind", Unwind);
}

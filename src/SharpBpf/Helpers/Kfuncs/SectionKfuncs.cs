namespace SharpBpf.Helpers.Kfuncs;

/// <summary>
/// <c>bpf_rcu_read_lock/unlock</c> and <c>bpf_preempt_disable/enable</c>: a program run in user space has no RCU
/// grace periods to hold off and no preemption to disable, so they do nothing at run time. What they mean is the
/// verifier's: sections that must be closed before the program exits (Verifier/Analysis.Kfuncs.cs).
/// </summary>
internal static class SectionKfuncs
{
    public static ulong Nothing(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => 0;
}

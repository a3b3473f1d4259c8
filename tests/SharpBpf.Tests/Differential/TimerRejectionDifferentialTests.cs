using SharpBpf.Kernel;
using SharpBpf.Runtime;
using SharpBpf.Tests.Kernel;
using SharpBpf.Tests.Support;
using SharpBpf.Verifier;

namespace SharpBpf.Tests.Differential;

/// <summary>Timer misuse the kernel refuses at load (spec R9, R46) is refused by SharpBpf with the kernel's words.</summary>
public class TimerRejectionDifferentialTests
{
    [Theory]
    [InlineData("timer_not_gpl.o", "init_timer", "cannot call GPL-restricted function from non-GPL compatible program")]
    [InlineData("timer_in_kprobe.o", "count_sleeps", "tracing progs cannot use bpf_timer yet")]
    public void SharpBpf_rejects_timer_misuse(string file, string program, string reason)
    {
        var error = Assert.Throws<VerificationException>(() => BpfObject.Load(Path.Combine(TestPaths.TestData, "timers", file)));
        Assert.Equal((program, reason), (error.Program, error.Summary));
    }

    [KernelTheory]
    [InlineData("timer_not_gpl.o", "cannot call GPL-restricted function from non-GPL compatible program")]
    [InlineData("timer_in_kprobe.o", "tracing progs cannot use bpf_timer yet")]
    public void Linux_rejects_the_same_objects_for_the_same_reason(string file, string reason)
    {
        var error = Assert.Throws<KernelLoadException>(() => KernelObject.Open(Path.Combine(TestPaths.TestData, "timers", file)));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}

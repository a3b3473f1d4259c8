using SharpBpf.Kernel;

namespace SharpBpf.Tests.Kernel;

/// <summary>A fact that needs the Linux kernel engine; skipped, with the reason printed by the runner, where
/// <see cref="KernelAvailability"/> says the kernel cannot be used (not root, no libbpf, BPF refused).</summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute()
    {
        string? reason = KernelAvailability.Check();
        if (reason is not null) Skip = "kernel engine unavailable: " + reason;
    }
}

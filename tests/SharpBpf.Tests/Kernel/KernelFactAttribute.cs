using SharpBpf.Kernel;

namespace SharpBpf.Tests.Kernel;

/// <summary>
/// A fact that needs the Linux kernel engine; skipped, with the reason printed by the runner, where
/// <see cref="KernelAvailability"/> says the kernel cannot be used (not root, no libbpf, BPF refused). In CI
/// (<c>CI=true</c>) it is never skipped: a CI machine without the kernel engine must fail, not pass quietly.
/// </summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute() => Skip = KernelRequirement.SkipReason();
}

/// <summary>The data-driven twin of <see cref="KernelFactAttribute"/>.</summary>
public sealed class KernelTheoryAttribute : TheoryAttribute
{
    public KernelTheoryAttribute() => Skip = KernelRequirement.SkipReason();
}

internal static class KernelRequirement
{
    public static string? SkipReason()
    {
        var reason = KernelAvailability.Check();
        if (reason is null || Environment.GetEnvironmentVariable("CI") == "true")
        {
            return null;
        }

        return "kernel engine unavailable: " + reason;
    }
}

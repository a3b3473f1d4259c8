using SharpBpf.Kernel;

namespace SharpBpf.Tests.Kernel;

/// <summary>
/// A fact that needs the Linux kernel engine; skipped, with the reason printed by the runner, where
/// <see cref="KernelAvailability"/> says the kernel cannot be used (not root, no libbpf, BPF refused). In CI
/// (<c>CI=true</c>) it is never skipped: a CI machine without the kernel engine must fail, not pass quietly.
/// A skippable fact, so a test can also skip itself with <c>Skip.If</c> for what only the test can find out (checked:
/// xunit 2.9.3 discovers both the static skip and a dynamic one through this subclass).
/// </summary>
public sealed class KernelFactAttribute : SkippableFactAttribute
{
    public KernelFactAttribute() => Skip = KernelRequirement.SkipReason();
}

/// <summary>The data-driven twin of <see cref="KernelFactAttribute"/>.</summary>
public sealed class KernelTheoryAttribute : SkippableTheoryAttribute
{
    public KernelTheoryAttribute() => Skip = KernelRequirement.SkipReason();
}

/// <summary>
/// A kernel theory that compares the kernel's exact words with text recorded on one kernel version: another version
/// may word or order its checks differently, so there it is skipped with the versions named.
/// </summary>
public sealed class RecordedKernelTheoryAttribute : SkippableTheoryAttribute
{
    // A property, not a constructor argument: SkippableTheory's discoverer reads constructor arguments as exception types.
    public string RecordedOn
    {
        get => field ?? "";
        init
        {
            field = value;
            Skip = KernelRequirement.SkipReason() ?? KernelRequirement.VersionSkipReason(value);
        }
    }
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

    /// <summary>Null where the running kernel is <paramref name="recordedOn"/> (major.minor), else why the test skips.</summary>
    public static string? VersionSkipReason(string recordedOn)
    {
        var running = Environment.OSVersion.Version;
        return $"{running.Major}.{running.Minor}" == recordedOn
            ? null
            : $"kernel text recorded on Linux {recordedOn}; this kernel is {running.Major}.{running.Minor}.{running.Build}";
    }
}

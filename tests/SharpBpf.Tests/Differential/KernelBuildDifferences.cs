using SharpBpf.Kernel;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// Where builds of the same kernel version disagree. Some 6.18 builds (seen on a sandboxed 6.18.44) do not offer
/// bpf_xdp_adjust_meta to XDP programs, though upstream's xdp_func_proto does: SharpBpf follows upstream, and a test
/// whose object uses the helper cannot compare with such a kernel. Only the reason lines listed here are excused, so
/// any other refusal still fails the test.
/// </summary>
internal static class KernelBuildDifferences
{
    private static readonly string[] HelpersSomeBuildsWithhold =
    [
        "program of this type cannot use helper bpf_xdp_adjust_meta#54",
    ];

    /// <summary>Opens the object in the kernel, or skips the test if this build refuses it for a listed reason.</summary>
    public static KernelObject OpenOrSkip(string path)
    {
        try
        {
            return KernelObject.Open(path);
        }
        catch (KernelLoadException e) when (e.VerifierLog is { } log && Withheld(log) is { } reason)
        {
            throw new SkipException($"this kernel build ({Environment.OSVersion.Version}) refuses {Path.GetFileName(path)} with "
                + $"'{reason}', which upstream Linux 6.18 accepts (the verdict was recorded on such a build)");
        }
    }

    private static string? Withheld(string verifierLog) =>
        HelpersSomeBuildsWithhold.FirstOrDefault(line => KernelVerdicts.Parse(verifierLog).Error == line);
}

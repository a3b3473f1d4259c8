using System.Text.RegularExpressions;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// Kernel verifier text made comparable across kernel builds of one version. Two builds of Linux 6.18 print the same
/// rules in the same words, but the numbers the verifier hands out as it goes (register <c>id=</c>, the
/// <c>map_uid=</c> that comes from the same counter, map ids) and kernel addresses differ between builds and runs, so
/// they are replaced by placeholders before any comparison.
/// </summary>
internal static partial class KernelText
{
    public static string Normalize(string kernelText)
    {
        var text = VolatileNumber().Replace(kernelText, m => m.Groups["name"].Value + "=N");
        return KernelAddress().Replace(text, "ADDR");
    }

    /// <summary>Whether two reason lines say the same once the volatile numbers are set aside.</summary>
    public static bool SameReason(string expected, string actual) => Normalize(expected) == Normalize(actual);

    /// <summary>Asserts <paramref name="actual"/> is <paramref name="expected"/>, volatile numbers aside, showing both.</summary>
    public static void AssertSameReason(string expected, string? actual) =>
        Assert.Equal(Normalize(expected), actual is null ? null : Normalize(actual));

    [GeneratedRegex(@"\b(?<name>id|map_uid|map_id|ref_obj_id)=\d+")]
    private static partial Regex VolatileNumber();

    // Kernel virtual addresses (0xffff888012345678, ffffffff81000000) print in some messages; never compare them.
    [GeneratedRegex(@"\b(0x)?ffff[0-9a-f]{12}\b")]
    private static partial Regex KernelAddress();
}

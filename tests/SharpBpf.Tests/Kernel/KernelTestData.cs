namespace SharpBpf.Tests.Kernel;

/// <summary>Finds the committed kernel-engine test objects (tests/SharpBpf.Tests/Data/kernel) by walking up
/// from the test assembly's folder, so the tests need no copy step and no clang.</summary>
internal static class KernelTestData
{
    private static readonly Lazy<string> s_folder = new(Locate);

    public static string PathOf(string fileName) => Path.Combine(s_folder.Value, fileName);

    private static string Locate()
    {
        string relative = Path.Combine("tests", "SharpBpf.Tests", "Data", "kernel");
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(Path.Combine(candidate, "xdp_counter.o"))) return candidate;
        }
        throw new DirectoryNotFoundException($"cannot find {relative} above {AppContext.BaseDirectory}");
    }
}

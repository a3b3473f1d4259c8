namespace SharpBpf.Tests.Support;

/// <summary>Finds the repository root (the folder holding SharpBpf.slnx) from the test assembly and the data beside it.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> Root = new(FindRepoRoot);

    public static string RepoRoot => Root.Value;

    /// <summary>
    /// The conformance data: the copy committed under tests/SharpBpf.Tests/Data/conformance when present, else the
    /// shared folder that sits beside the repository root (../shared/conformance).
    /// </summary>
    public static string SharedConformance
    {
        get
        {
            var committed = Path.Combine(RepoRoot, "tests", "SharpBpf.Tests", "Data", "conformance");
            return Directory.Exists(Path.Combine(committed, "tests"))
                ? committed
                : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "conformance"));
        }
    }

    /// <summary>tests/SharpBpf.Tests/Data in the source tree (not the build output).</summary>
    public static string TestData => Path.Combine(RepoRoot, "tests", "SharpBpf.Tests", "Data");

    private static string FindRepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SharpBpf.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException(
            $"no SharpBpf.slnx above {AppContext.BaseDirectory}");
    }
}

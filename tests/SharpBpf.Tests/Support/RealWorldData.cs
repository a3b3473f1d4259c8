namespace SharpBpf.Tests.Support;

/// <summary>The committed real-world test objects (tests/SharpBpf.Tests/Data/realworld, rebuilt by its build.sh).</summary>
internal static class RealWorldData
{
    public static string Folder => Path.Combine(TestPaths.RepoRoot, "tests", "SharpBpf.Tests", "Data", "realworld");

    public static string PathOf(string fileName) => Path.Combine(Folder, fileName);
}

namespace SharpBpf.Tests.Btf;

/// <summary>
/// Committed objects and blobs under Data/btf (rebuilt by Data/btf/build.sh). Found by walking up from the
/// test binary to the test project, so the test project file needs no copy rule.
/// </summary>
internal static class BtfTestData
{
    public static string Directory { get; } = Locate();

    public static byte[] Bytes(string file) => File.ReadAllBytes(Path.Combine(Directory, file));

    public static string Text(string file) => File.ReadAllText(Path.Combine(Directory, file));

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Data", "btf");
            if (File.Exists(Path.Combine(candidate, "types.btf")))
                return candidate;
        }
        throw new DirectoryNotFoundException("Data/btf not found above " + AppContext.BaseDirectory);
    }
}

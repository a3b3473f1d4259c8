namespace SharpBpf.Benchmarks;

/// <summary>
/// Finds the checkout's files from wherever BenchmarkDotNet runs the benchmark (its generated project lives under
/// bin/), by walking up to the directory that holds SharpBpf.slnx. Does not copy objects next to the binaries.
/// </summary>
internal static class BenchPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string MapOpsObject => Path.Combine(RepositoryRoot, "bench", "kernel", "maps", "map_ops.o");

    public static string ExamplesDirectory => Path.Combine(RepositoryRoot, "examples");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SharpBpf.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no SharpBpf.slnx above {AppContext.BaseDirectory}");
    }
}

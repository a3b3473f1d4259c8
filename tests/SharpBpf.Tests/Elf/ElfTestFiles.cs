namespace SharpBpf.Tests.Elf;

/// <summary>Finds the committed objects: examples/*.o and tests/SharpBpf.Tests/Data/elf/*.o in the checkout.</summary>
internal static class ElfTestFiles
{
    private static readonly Lazy<string> RepositoryRoot = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SharpBpf.slnx")))
                return directory.FullName;
        }
        throw new InvalidOperationException("cannot find the repository root (SharpBpf.slnx) above " + AppContext.BaseDirectory);
    });

    public static string ExamplesDirectory => Path.Combine(RepositoryRoot.Value, "examples");

    public static string DataDirectory => Path.Combine(RepositoryRoot.Value, "tests", "SharpBpf.Tests", "Data", "elf");

    /// <summary>Every committed object: the examples and the ELF test objects.</summary>
    public static IEnumerable<string> AllObjects() =>
        Directory.GetFiles(ExamplesDirectory, "*.o").Concat(Directory.GetFiles(DataDirectory, "*.o")).Order(StringComparer.Ordinal);

    public static TheoryData<string> AllObjectNames()
    {
        var data = new TheoryData<string>();
        foreach (var path in AllObjects())
            data.Add(Path.GetFileName(path));
        return data;
    }

    public static string PathOf(string objectName)
    {
        var inExamples = Path.Combine(ExamplesDirectory, objectName);
        return File.Exists(inExamples) ? inExamples : Path.Combine(DataDirectory, objectName);
    }

    public static string GoldenPathOf(string objectName) =>
        Path.Combine(DataDirectory, Path.GetFileNameWithoutExtension(objectName) + ".readelf.txt");
}

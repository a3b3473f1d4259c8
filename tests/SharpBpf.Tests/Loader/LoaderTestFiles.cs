using SharpBpf.Tests.Elf;

namespace SharpBpf.Tests.Loader;

/// <summary>The committed objects the loader tests use and the libbpf goldens next to them.</summary>
internal static class LoaderTestFiles
{
    public static string DataRoot => Path.Combine(ElfTestFiles.DataDirectory, "..");

    public static string LoaderDirectory => Path.Combine(DataRoot, "loader");

    /// <summary>Every object with a libbpf golden (examples, btf/, kernel/ and loader/ test objects, the v4 no-debug object).</summary>
    public static TheoryData<string> GoldenObjects()
    {
        var data = new TheoryData<string>();
        foreach (var golden in Directory.GetFiles(LoaderDirectory, "*.libbpf.txt").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(golden)[..^".libbpf.txt".Length] + ".o");
        return data;
    }

    public static string PathOf(string objectName)
    {
        foreach (var directory in new[] { ElfTestFiles.ExamplesDirectory, Path.Combine(DataRoot, "btf"), Path.Combine(DataRoot, "kernel"),
                     ElfTestFiles.DataDirectory, LoaderDirectory, Path.Combine(LoaderDirectory, "legacy") })
        {
            var path = Path.Combine(directory, objectName);
            if (File.Exists(path))
                return path;
        }
        throw new FileNotFoundException("no committed object " + objectName);
    }

    public static string GoldenPathOf(string objectName) =>
        Path.Combine(LoaderDirectory, Path.GetFileNameWithoutExtension(objectName) + ".libbpf.txt");

    /// <summary>Every committed object the loader must accept or reject cleanly.</summary>
    public static IEnumerable<string> AllObjects() =>
        ElfTestFiles.AllObjects()
            .Concat(Directory.GetFiles(Path.Combine(DataRoot, "btf"), "*.o"))
            .Concat(Directory.GetFiles(Path.Combine(DataRoot, "kernel"), "*.o"))
            .Concat(Directory.GetFiles(LoaderDirectory, "*.o"))
            .Concat(Directory.GetFiles(Path.Combine(LoaderDirectory, "legacy"), "*.o"))
            .Order(StringComparer.Ordinal);
}

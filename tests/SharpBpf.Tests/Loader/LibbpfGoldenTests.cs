using SharpBpf.Loader;

namespace SharpBpf.Tests.Loader;

/// <summary>
/// The loader against libbpf 1.1 on the same objects: object name, maps (order, names, types, sizes, flags, BTF
/// ids), programs (order, sections, types, expected attach types) and every linked instruction, as libbpf
/// produced them when the programs were loaded into Linux 6.18 (goldens made by Data/loader/build.sh).
/// </summary>
public sealed class LibbpfGoldenTests
{
    public static TheoryData<string> Objects => LoaderTestFiles.GoldenObjects();

    [Theory]
    [MemberData(nameof(Objects))]
    public void Matches_what_libbpf_makes_of_the_object(string objectName)
    {
        var golden = File.ReadAllText(LoaderTestFiles.GoldenPathOf(objectName));
        if (golden.StartsWith("open failed", StringComparison.Ordinal))
        {
            var error = Assert.Throws<ObjectLoadException>(() => ObjectLoader.LoadFile(LoaderTestFiles.PathOf(objectName)));
            Assert.Equal(objectName, error.FileName);
            return;
        }
        var spec = ObjectLoader.LoadFile(LoaderTestFiles.PathOf(objectName));
        bool goldenHasInstructions = golden.Contains("\n  0: ", StringComparison.Ordinal);
        Assert.Equal(golden, LibbpfGolden.Format(spec, goldenHasInstructions));
    }
}

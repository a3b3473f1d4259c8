using SharpBpf.Asm;
using SharpBpf.Isa;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Asm;

/// <summary>Every uBPF .data file parses: its program assembles (includes resolved) and its directives are recorded.</summary>
public class UbpfFileTests
{
    private static string Ubpf => Path.Combine(TestPaths.SharedConformance, "ubpf-tests");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Ubpf, "*.data", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Ubpf, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void FileParsesAndItsProgramAssembles(string name)
    {
        var file = ConformanceDataFile.Load(Path.Combine(Ubpf, name));

        Assert.Empty(file.Problems);
        if (file.AssemblyError is not null)
        {
            // Only error tests may fail to assemble (uBPF writes %r11 to test its loader; we refuse it earlier).
            Assert.NotNull(file.ExpectedError);
            return;
        }

        Assert.Empty(file.UnknownDirectives);
        if (file.UnsupportedDirectives.Count == 0)
        {
            Assert.True(file.HasProgram);
            Assert.True(file.ExpectedResult is not null || file.ExpectedError is not null || file.ProgramIsRaw);
        }
    }

    [Fact]
    public void PyelfReloadAndUnloadFilesAreMarkedUnsupported()
    {
        var directives = Directory.GetFiles(Ubpf, "*.data", SearchOption.AllDirectories)
            .SelectMany(path => ConformanceDataFile.Load(path).UnsupportedDirectives)
            .GroupBy(d => d).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(21, directives["pyelf"]);
        Assert.Equal(1, directives["reload"]);
        Assert.Equal(1, directives["unload"]);
    }

    [Fact]
    public void IncludesReadTheSiblingAssemblyAndTheTcpdumpHexDump()
    {
        var file = ConformanceDataFile.Load(Path.Combine(Ubpf, "tcp-sack", "match.data"));

        Assert.Equal(File.ReadAllLines(Path.Combine(Ubpf, "tcp-sack", "tcp-sack.asm")).Count(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')),
            file.AssemblySource!.Split('\n').Length);
        Assert.Equal([0x00, 0x26, 0x62, 0x2f, 0x47, 0x87], file.Memory![..6]);
        Assert.Equal(0x4e, file.Memory.Length);
        Assert.Equal(1UL, file.ExpectedResult);
        Assert.True(file.HasProgram);
    }

    [Fact]
    public void ErrorPatternAndNoJitAreRecorded()
    {
        var file = ConformanceDataFile.Load(Path.Combine(Ubpf, "errors", "err-stack-oob.data"));

        Assert.True(file.ExpectedErrorIsPattern);
        Assert.Equal("uBPF error: out of bounds memory store at PC 0, addr .*, size 1", file.ExpectedError);
        Assert.Equal("stack oob check not implemented", file.NoJitReason);
        Assert.Equal(ulong.MaxValue, file.ExpectedResult);
    }
}

using System.Globalization;
using SharpBpf.Asm;
using SharpBpf.Isa;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Asm;

/// <summary>Every file of the conformance suite parses, assembles, validates and matches INDEX.tsv.</summary>
public class ConformanceSuiteFileTests
{
    private static string TestsFolder => Path.Combine(TestPaths.SharedConformance, "tests");

    public static TheoryData<string> SuiteFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(TestsFolder, "*.data").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    private static readonly Lazy<Dictionary<string, string[]>> Index = new(() =>
        File.ReadAllLines(Path.Combine(TestPaths.SharedConformance, "INDEX.tsv"))
            .Skip(1)
            .Select(l => l.Split('\t'))
            .ToDictionary(c => c[0], StringComparer.Ordinal));

    [Fact]
    public void TheSuiteHas313Files() => Assert.Equal(313, Directory.GetFiles(TestsFolder, "*.data").Length);

    [Theory]
    [MemberData(nameof(SuiteFiles))]
    public void FileParsesAssemblesAndMatchesTheIndex(string name)
    {
        var file = ConformanceDataFile.Load(Path.Combine(TestsFolder, name));

        Assert.Null(file.AssemblyError);
        Assert.Empty(file.Problems);
        Assert.Null(file.SkipReason);
        Assert.True(file.HasProgram);
        Assert.Null(ProgramValidator.FindFirstError(file.Program));

        var row = Index.Value[name];
        Assert.Equal(int.Parse(row[7], CultureInfo.InvariantCulture), file.Program!.Length);
        Assert.Equal(int.Parse(row[5], CultureInfo.InvariantCulture), file.Memory?.Length ?? 0);
        Assert.Equal(ParseIndexNumber(row[8]), file.ExpectedResult);
        Assert.Equal(row[6] == "raw", file.ProgramIsRaw);
    }

    private static ulong ParseIndexNumber(string text) => text.StartsWith("0x", StringComparison.Ordinal)
        ? ulong.Parse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
        : ulong.Parse(text, CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(SuiteFiles))]
    public void DisassemblyReassemblesToTheSameBytes(string name)
    {
        var program = ConformanceDataFile.Load(Path.Combine(TestsFolder, name)).Program!;

        var text = Disassembler.Disassemble(program, DisassemblySyntax.Conformance);

        Assert.Equal(Instruction.Encode(program), Instruction.Encode(Assembler.Assemble(text)));
    }
}

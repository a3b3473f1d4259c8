using SharpBpf.Asm;
using SharpBpf.Isa;

namespace SharpBpf.Tests.Asm;

public class ConformanceDataFileTests
{
    [Fact]
    public void CommentsAnywhereAndTheDelByteAreIgnored()
    {
        var file = ConformanceDataFile.Parse(
            "# Copyright \x7f 2024 -- not a header\r\n-- asm # the program\r\nmov %r0, 3 # three \x7f\r\nexit\r\n-- result\r\n0x3 # r0\r\n");

        Assert.Equal([Instruction.FromRaw(0x00000003_000000b7), Instruction.FromRaw(0x95)], file.Program!);
        Assert.Equal(3UL, file.ExpectedResult);
        Assert.Empty(file.Problems);
        Assert.Null(file.SkipReason);
    }

    [Fact]
    public void TheLastResultLineCountsAndNoRegisterOffsetLinesAreSkipped()
    {
        var file = ConformanceDataFile.Parse("-- asm\nexit\n-- result\n0x1\n18446744073709551615\n-- no register offset\ncall instruction\n");

        Assert.Equal(ulong.MaxValue, file.ExpectedResult);
        Assert.Empty(file.UnknownDirectives);
        Assert.Empty(file.Problems);
    }

    [Fact]
    public void RawWinsOverAsmAndReadsWordsInHexOrDecimal()
    {
        var file = ConformanceDataFile.Parse("-- asm\nmov %r0, 1\nexit\n-- raw\n0x00000002000000B7\n149\n-- result\n2\n");

        Assert.True(file.ProgramIsRaw);
        Assert.Equal([0x00000002_000000b7UL, 0x95UL], file.Program!.Select(i => i.RawValue));
        Assert.Equal("mov %r0, 1\nexit", file.AssemblySource);
    }

    [Fact]
    public void RawReadsEightBytesPerLineInMemoryOrder()
    {
        var file = ConformanceDataFile.Parse("-- raw\nb7 01 02 00 05 00 00 00\n95 00 00 00 00 00 00 00\n-- error\n");

        Assert.Equal([0x00000005_000201b7UL, 0x95UL], file.Program!.Select(i => i.RawValue));
        Assert.Equal("", file.ExpectedError);
        Assert.Null(file.SkipReason);
    }

    [Fact]
    public void MemoryConcatenatesHexBytesOverLines()
    {
        var file = ConformanceDataFile.Parse("-- mem\n00 11 22\naa BB\n-- asm\nexit\n-- result\n0\n");

        Assert.Equal([0x00, 0x11, 0x22, 0xaa, 0xbb], file.Memory!);
    }

    [Theory]
    [InlineData("-- mem\n0g\n-- asm\nexit\n-- result\n0\n", "line 2: '0g' is not a sequence of two-digit hex bytes")]
    [InlineData("-- mem\n123\n-- asm\nexit\n-- result\n0\n", "line 2: '123' is not a sequence of two-digit hex bytes")]
    [InlineData("-- asm\nexit\n-- result\nlots\n", "line 4: result 'lots' is not a 64-bit unsigned number")]
    [InlineData("-- raw\n0x95 00\n-- result\n0\n", "line 2: '0x95 00' is neither a 64-bit instruction word nor 8 hex bytes")]
    [InlineData("-- asm @ other.asm\n-- result\n0\n", "line 1: '@ other.asm' needs the path of the .data file")]
    public void ContentProblemsAreRecordedWithTheirLine(string text, string problem)
    {
        var file = ConformanceDataFile.Parse(text);

        Assert.Equal([problem], file.Problems);
    }

    [Fact]
    public void AMissingIncludeIsAProblem()
    {
        var file = ConformanceDataFile.Parse("-- asm @ missing.asm\n-- result\n0\n", Path.Combine(Path.GetTempPath(), "x.data"));

        Assert.Equal(["line 1: included file 'missing.asm' not found"], file.Problems);
        Assert.False(file.HasProgram);
    }

    [Fact]
    public void AssemblyErrorsAreCapturedWithTheLineNumberOfTheFile()
    {
        var file = ConformanceDataFile.Parse("# header\n# more\n-- asm\nmov %r0, 1\n\n  movv %r0, 2\nexit\n-- result\n1\n");

        var error = Assert.IsType<AsmSyntaxException>(file.AssemblyError);
        Assert.Equal(6, error.Line);
        Assert.Equal(3, error.Column);
        Assert.Equal("  movv %r0, 2", error.LineText);
        Assert.Null(file.Program);
    }

    [Fact]
    public void CSourceKeepsItsLinesWithoutComments()
    {
        var file = ConformanceDataFile.Parse("-- c\n#include <x.h>\nint f() { return 1; }\n-- asm\nexit\n-- result\n0\n");

        Assert.Equal("int f() { return 1; }", file.CSource);
        Assert.Empty(file.UnknownDirectives);
    }

    [Fact]
    public void UbpfDirectivesAreRecorded()
    {
        var file = ConformanceDataFile.Parse("-- description\nfree text\n-- asm\nexit\n-- pyelf\nx = 1\n-- no jit\nslow\n-- result\n0\n-- Strange thing\n");

        Assert.Equal(["pyelf"], file.UnsupportedDirectives);
        Assert.Equal("slow", file.NoJitReason);
        Assert.Equal(["-- Strange thing"], file.UnknownDirectives);
        Assert.Equal("unknown directive '-- Strange thing'", file.SkipReason);
    }

    [Fact]
    public void AFileWithoutResultOrErrorIsSkipped()
    {
        var file = ConformanceDataFile.Parse("-- asm\nexit\n");

        Assert.True(file.HasProgram);
        Assert.Equal("no -- result or -- error section", file.SkipReason);
    }
}

using SharpBpf.Asm;
using SharpBpf.Isa;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Asm;

/// <summary>The assembler self-tests of negative/, the unused-field files, and uBPF's assembler encoding files.</summary>
public class NegativeAndUbpfFileTests
{
    private static string Negative => Path.Combine(TestPaths.SharedConformance, "negative");
    private static string Ubpf => Path.Combine(TestPaths.SharedConformance, "ubpf-tests");

    [Theory]
    [InlineData("invalid_imm32_dec_range.data", "2147483648")]
    [InlineData("invalid_imm32_hex_range.data", "0x100000000")]
    [InlineData("invalid_label.data", "NOT_A_LABEL")]
    [InlineData("invalid_lock.data", "lock")]
    [InlineData("invalid_lock2.data", "lock")]
    [InlineData("invalid_mnemonic.data", "ldxq")]
    [InlineData("invalid_offset.data", "%r1")]
    [InlineData("invalid_offset_range.data", "+0x10000")]
    [InlineData("invalid_operand_count.data", "lddw")]
    [InlineData("invalid_register.data", "%r50")]
    public void InvalidAssemblyFailsAtTheOffendingToken(string name, string offendingToken)
    {
        var path = Path.Combine(Negative, name);
        var lines = File.ReadAllLines(path);
        var line = Array.FindIndex(lines, l => !l.StartsWith('#') && l.Contains(offendingToken, StringComparison.Ordinal));

        var file = ConformanceDataFile.Load(path);

        var error = Assert.IsType<AsmSyntaxException>(file.AssemblyError);
        Assert.Null(file.Program);
        Assert.False(file.HasProgram);
        Assert.Equal(line + 1, error.Line);
        Assert.Equal(lines[line].IndexOf(offendingToken, StringComparison.Ordinal) + 1, error.Column);
        Assert.Equal(lines[line], error.LineText);
        Assert.StartsWith($"line {line + 1}, column {error.Column}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFileHasNoProgramAndNothingToCheck()
    {
        var file = ConformanceDataFile.Load(Path.Combine(Negative, "empty.data"));

        Assert.False(file.HasProgram);
        Assert.Null(file.Program);
        Assert.Null(file.AssemblyError);
        Assert.Equal("no -- result or -- error section", file.SkipReason);
    }

    [Fact]
    public void FileWithOnlyAResultHasNoProgram()
    {
        var file = ConformanceDataFile.Load(Path.Combine(Negative, "empty_instructions.data"));

        Assert.False(file.HasProgram);
        Assert.Null(file.AssemblyError);
        Assert.Equal(0UL, file.ExpectedResult);
        Assert.Equal("no program", file.SkipReason);
    }

    [Fact]
    public void ErrorFileExpectsTheTextInvalidForAValidProgram()
    {
        var file = ConformanceDataFile.Load(Path.Combine(Negative, "error.data"));

        Assert.Equal("Invalid", file.ExpectedError);
        Assert.False(file.ExpectedErrorIsPattern);
        Assert.Null(file.ExpectedResult);
        Assert.Equal([Instruction.FromRaw(0x00000000_0000a04f), Instruction.FromRaw(0x95)], file.Program!);
    }

    [Fact]
    public void UnknownDirectiveIsRecordedAndMakesTheFileSkipped()
    {
        var file = ConformanceDataFile.Load(Path.Combine(Negative, "invalid_unknown_directive.data"));

        Assert.Equal(["-- Unknown directive"], file.UnknownDirectives);
        Assert.Equal("unknown directive '-- Unknown directive'", file.SkipReason);
        Assert.False(file.HasProgram);
    }

    public static TheoryData<string> UnusedFieldFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Negative, "unused-*.data").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void ThereAre45UnusedFieldFiles() => Assert.Equal(45, Directory.GetFiles(Negative, "unused-*.data").Length);

    [Theory]
    [MemberData(nameof(UnusedFieldFiles))]
    public void UnusedFieldFileIsRejectedAtItsFirstInstruction(string name)
    {
        var file = ConformanceDataFile.Load(Path.Combine(Negative, name));

        Assert.Empty(file.Problems);
        Assert.True(file.ProgramIsRaw);
        Assert.Equal("", file.ExpectedError);
        Assert.Equal(Opcodes.Exit, file.Program![^1].Opcode);
        var error = ProgramValidator.FindFirstError(file.Program);
        Assert.NotNull(error);
        Assert.Equal(0, error.Value.Index);
    }

    [Theory]
    [InlineData("alu.data")]
    [InlineData("alu64.data")]
    [InlineData("jmp.data")]
    [InlineData("ldx.data")]
    [InlineData("st.data")]
    [InlineData("stx.data")]
    public void UbpfAssemblerFileAssemblesToItsRawWords(string name)
    {
        var file = ConformanceDataFile.Load(Path.Combine(Ubpf, name));

        Assert.True(file.ProgramIsRaw);
        Assert.NotEmpty(file.Program!);
        Assert.Equal(file.Program!.Select(i => i.RawValue), Assembler.Assemble(file.AssemblySource!).Select(i => i.RawValue));
    }
}

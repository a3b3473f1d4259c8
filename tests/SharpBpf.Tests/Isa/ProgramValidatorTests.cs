using SharpBpf.Isa;

namespace SharpBpf.Tests.Isa;

public class ProgramValidatorTests
{
    private static readonly Instruction Exit = new(Opcodes.Exit, 0, 0, 0, 0);
    private static readonly Instruction MovR0 = new(Opcodes.Mov64Imm, 0, 0, 0, 1);

    [Fact]
    public void A_well_formed_program_passes()
    {
        Instruction[] program =
        [
            new(Opcodes.Lddw, 1, 0, 0, 1), new(0, 0, 0, 0, 2),
            new(Opcodes.JeqImm, 1, 0, 1, 0),
            MovR0,
            new(Opcodes.Call, 0, (byte)CallSource.Local, 0, 1),
            Exit,
            MovR0,
            Exit,
        ];
        Assert.Null(ProgramValidator.FindFirstError(program));
    }

    [Fact]
    public void Empty_program_is_refused()
    {
        var error = Assert.Throws<InvalidInstructionException>(() => ProgramValidator.Validate([]));
        Assert.Equal("program is empty", error.Reason);
    }

    [Fact]
    public void Truncated_lddw_names_its_slot()
    {
        var error = Assert.Throws<InvalidInstructionException>(() =>
            ProgramValidator.Validate([MovR0, new Instruction(Opcodes.Lddw, 1, 0, 0, 1)]));
        Assert.Equal(1, error.InstructionIndex);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Second_slot_of_lddw_must_be_blank()
    {
        var error = ProgramValidator.FindFirstError([new(Opcodes.Lddw, 1, 0, 0, 1), new(0, 1, 0, 0, 0), Exit]);
        Assert.Equal(1, error?.Index);
    }

    [Theory]
    [InlineData(Opcodes.Ja, 0, 5, 0, "jump out of range from insn 0 to 6")]
    [InlineData(Opcodes.Ja, 0, -2, 0, "jump out of range from insn 0 to -1")]
    [InlineData(Opcodes.Ja32, 0, 0, 9, "jump out of range from insn 0 to 10")]
    [InlineData(Opcodes.Call, 1, 0, 100, "jump out of range from insn 0 to 101")]
    public void Jumps_and_calls_must_land_inside(byte opcode, int src, int offset, int imm, string expected)
    {
        Instruction[] program = [new(opcode, 0, (byte)src, (short)offset, imm), Exit];
        var error = ProgramValidator.FindFirstError(program);
        Assert.Equal((0, expected), error);
    }

    [Fact]
    public void Jump_into_the_middle_of_lddw_is_refused()
    {
        Instruction[] program = [new(Opcodes.Ja, 0, 0, 1, 0), new(Opcodes.Lddw, 1, 0, 0, 1), new(0, 0, 0, 0, 0), Exit];
        var error = ProgramValidator.FindFirstError(program);
        Assert.Equal(0, error?.Index);
        Assert.Contains("middle of lddw", error?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reserved_field_names_the_instruction()
    {
        var error = Assert.Throws<InvalidInstructionException>(() =>
            ProgramValidator.Validate([MovR0, new Instruction(Opcodes.Exit, 0, 0, 0, 7)]));
        Assert.Equal(1, error.InstructionIndex);
        Assert.StartsWith("insn 1: exit (opcode 0x95)", error.Message, StringComparison.Ordinal);
    }
}

using SharpBpf.Isa;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Interpreter;

public class MemoryTests
{
    private static readonly byte[] Bytes = [0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a];

    [Theory]
    [InlineData(Opcodes.LdxB, 1, 0x82UL)]
    [InlineData(Opcodes.LdxH, 1, 0x8382UL)] // unaligned is fine
    [InlineData(Opcodes.LdxW, 2, 0x8685_8483UL)]
    [InlineData(Opcodes.LdxDw, 1, 0x8988_8786_8584_8382UL)]
    [InlineData(Opcodes.LdxsB, 1, 0xffff_ffff_ffff_ff82UL)]
    [InlineData(Opcodes.LdxsH, 1, 0xffff_ffff_ffff_8382UL)]
    [InlineData(Opcodes.LdxsW, 2, 0xffff_ffff_8685_8483UL)]
    public void Loads_from_the_input_buffer_zero_or_sign_extend(byte opcode, int offset, ulong expected) =>
        Assert.Equal(expected, RunBoth(P(I(opcode, 0, 1, offset), Exit()), [.. Bytes]));

    [Theory]
    [InlineData(Opcodes.StB, -1, new byte[] { 0xff, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a })]
    [InlineData(Opcodes.StH, -1, new byte[] { 0xff, 0xff, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a })]
    [InlineData(Opcodes.StW, 0x1234_5678, new byte[] { 0x78, 0x56, 0x34, 0x12, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a })]
    [InlineData(Opcodes.StDw, -2, new byte[] { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x89, 0x8a })] // imm sign-extended
    public void Store_immediate_writes_the_access_width(byte opcode, int imm, byte[] expected)
    {
        var memory = Bytes.ToArray();
        RunBoth(P(I(opcode, 1, 0, 0, imm), Exit()), memory);
        Assert.Equal(expected, memory);
    }

    [Theory]
    [InlineData(Opcodes.StxB, new byte[] { 0x81, 0x82, 0x83, 0xef, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a })]
    [InlineData(Opcodes.StxH, new byte[] { 0x81, 0x82, 0x83, 0xef, 0xcd, 0x86, 0x87, 0x88, 0x89, 0x8a })]
    [InlineData(Opcodes.StxW, new byte[] { 0x81, 0x82, 0x83, 0xef, 0xcd, 0xab, 0x89, 0x88, 0x89, 0x8a })]
    [InlineData(Opcodes.StxDw, new byte[] { 0x81, 0x82, 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01 })]
    public void Store_register_writes_the_access_width(byte opcode, byte[] expected)
    {
        var memory = Bytes.ToArray();
        var offset = opcode == Opcodes.StxDw ? 2 : 3;
        RunBoth(P(Lddw(2, 0x0123_4567_89ab_cdefUL), I(opcode, 1, 2, offset), Exit()), memory);
        Assert.Equal(expected, memory);
    }

    [Fact]
    public void Stack_round_trip_below_r10()
    {
        var program = P(
            Lddw(1, 0x1122_3344_5566_7788UL),
            I(Opcodes.StxDw, 10, 1, -8),
            I(Opcodes.StW, 10, 0, -512, 0x7eadbeef),
            I(Opcodes.LdxW, 2, 10, -4),
            I(Opcodes.LdxW, 3, 10, -512),
            MovReg(0, 2),
            AddReg(0, 3),
            Exit());
        Assert.Equal(0x1122_3344UL + 0x7ead_beefUL, RunBoth(program));
    }

    [Fact]
    public void Stack_starts_zeroed_in_every_run()
    {
        var program = InterpreterEngineFor(P(I(Opcodes.LdxDw, 0, 10, -16), I(Opcodes.StDw, 10, 0, -16, 77), Exit()));
        Assert.Equal(0UL, program.Run([]));
        Assert.Equal(0UL, program.Run([]));
    }

    [Fact]
    public void Conformance_convention_passes_address_and_length()
    {
        Assert.Equal(8UL, RunBoth(P(MovReg(0, 2), Exit()), new byte[8]));
        Assert.Equal(0UL, RunBoth(P(MovReg(0, 1), Exit())));
    }

    private static SharpBpf.Execution.PreparedProgram InterpreterEngineFor(Instruction[] program) =>
        SharpBpf.Interpreter.InterpreterEngine.Instance.Prepare(program, Options());
}

using SharpBpf.Isa;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Interpreter;

public class JumpTests
{
    private const ulong MinusOne = 0xffff_ffff_ffff_ffffUL;
    private const ulong HighBitsOnly = 0x1_0000_0000UL; // low half 0, so 32-bit forms see 0

    private static bool TakenReg(byte opcode, ulong a, ulong b) =>
        RunBoth(P(Lddw(1, a), Lddw(2, b), Mov(0, 1), I(opcode, 1, 2, 1), Mov(0, 0), Exit())) == 1;

    private static bool TakenImm(byte opcode, ulong a, int imm) =>
        RunBoth(P(Lddw(1, a), Mov(0, 1), I(opcode, 1, 0, 1, imm), Mov(0, 0), Exit())) == 1;

    [Theory]
    [InlineData(Opcodes.JeqReg, 5UL, 5UL, true)]
    [InlineData(Opcodes.JeqReg, 5UL, 6UL, false)]
    [InlineData(Opcodes.JneReg, 5UL, 6UL, true)]
    [InlineData(Opcodes.JneReg, 5UL, 5UL, false)]
    [InlineData(Opcodes.JgtReg, MinusOne, 1UL, true)] // unsigned
    [InlineData(Opcodes.JgtReg, 1UL, 1UL, false)]
    [InlineData(Opcodes.JgeReg, 1UL, 1UL, true)]
    [InlineData(Opcodes.JgeReg, 0UL, 1UL, false)]
    [InlineData(Opcodes.JltReg, 1UL, MinusOne, true)]
    [InlineData(Opcodes.JltReg, 1UL, 1UL, false)]
    [InlineData(Opcodes.JleReg, 1UL, 1UL, true)]
    [InlineData(Opcodes.JleReg, 2UL, 1UL, false)]
    [InlineData(Opcodes.JsetReg, 0b1010UL, 0b0010UL, true)]
    [InlineData(Opcodes.JsetReg, 0b1010UL, 0b0101UL, false)]
    [InlineData(Opcodes.JsgtReg, 1UL, MinusOne, true)] // signed: 1 > -1
    [InlineData(Opcodes.JsgtReg, MinusOne, 1UL, false)]
    [InlineData(Opcodes.JsgeReg, MinusOne, MinusOne, true)]
    [InlineData(Opcodes.JsgeReg, MinusOne, 0UL, false)]
    [InlineData(Opcodes.JsltReg, MinusOne, 0UL, true)]
    [InlineData(Opcodes.JsltReg, 0UL, MinusOne, false)]
    [InlineData(Opcodes.JsleReg, MinusOne, MinusOne, true)]
    [InlineData(Opcodes.JsleReg, 0UL, MinusOne, false)]
    [InlineData(Opcodes.Jeq32Reg, HighBitsOnly, 0UL, true)] // only the low halves are compared
    [InlineData(Opcodes.JeqReg, HighBitsOnly, 0UL, false)]
    [InlineData(Opcodes.Jne32Reg, HighBitsOnly, 0UL, false)]
    [InlineData(Opcodes.Jgt32Reg, 0xffff_ffffUL, 1UL, true)]
    [InlineData(Opcodes.Jgt32Reg, HighBitsOnly, 1UL, false)]
    [InlineData(Opcodes.Jge32Reg, HighBitsOnly, 0UL, true)]
    [InlineData(Opcodes.Jlt32Reg, HighBitsOnly, 1UL, true)]
    [InlineData(Opcodes.Jle32Reg, 0x5_0000_0002UL, 2UL, true)]
    [InlineData(Opcodes.Jset32Reg, HighBitsOnly, MinusOne, false)]
    [InlineData(Opcodes.Jsgt32Reg, 1UL, 0xffff_ffffUL, true)] // signed 32: 1 > -1
    [InlineData(Opcodes.Jsge32Reg, 0x8000_0000UL, 0UL, false)]
    [InlineData(Opcodes.Jslt32Reg, 0x8000_0000UL, 0UL, true)]
    [InlineData(Opcodes.Jsle32Reg, 0x1_ffff_ffffUL, 0xffff_ffffUL, true)]
    public void Register_conditions(byte opcode, ulong a, ulong b, bool taken) =>
        Assert.Equal(taken, TakenReg(opcode, a, b));

    [Theory]
    [InlineData(Opcodes.JeqImm, MinusOne, -1, true)] // imm sign-extended to 64 bits
    [InlineData(Opcodes.JeqImm, 0xffff_ffffUL, -1, false)]
    [InlineData(Opcodes.Jeq32Imm, 0xffff_ffffUL, -1, true)]
    [InlineData(Opcodes.JgtImm, 0x8000_0000UL, -1, false)] // 0x8000_0000 > 0xffff_ffff_ffff_ffff unsigned? no
    [InlineData(Opcodes.JsgtImm, 0x8000_0000UL, -1, true)]
    [InlineData(Opcodes.Jsgt32Imm, 0x8000_0000UL, -1, false)]
    [InlineData(Opcodes.Jgt32Imm, 0x8000_0000UL, 1, true)]
    [InlineData(Opcodes.JneImm, 3UL, 3, false)]
    [InlineData(Opcodes.JgeImm, 3UL, 3, true)]
    [InlineData(Opcodes.JltImm, 2UL, 3, true)]
    [InlineData(Opcodes.JleImm, 4UL, 3, false)]
    [InlineData(Opcodes.JsetImm, 6UL, 1, false)]
    [InlineData(Opcodes.JsgeImm, MinusOne, -1, true)]
    [InlineData(Opcodes.JsltImm, MinusOne, 0, true)]
    [InlineData(Opcodes.JsleImm, 0UL, -1, false)]
    [InlineData(Opcodes.Jne32Imm, 0x7_0000_0003UL, 3, false)]
    [InlineData(Opcodes.Jge32Imm, 0x7_0000_0003UL, 4, false)]
    [InlineData(Opcodes.Jlt32Imm, 0x7_0000_0003UL, 4, true)]
    [InlineData(Opcodes.Jle32Imm, 0x7_0000_0003UL, 3, true)]
    [InlineData(Opcodes.Jset32Imm, 0x7_0000_0000UL, -1, false)]
    [InlineData(Opcodes.Jsge32Imm, 0xffff_fffeUL, -1, false)]
    [InlineData(Opcodes.Jslt32Imm, 0xffff_fffeUL, -1, true)]
    [InlineData(Opcodes.Jsle32Imm, 0xffff_ffffUL, -1, true)]
    public void Immediate_conditions(byte opcode, ulong a, int imm, bool taken) =>
        Assert.Equal(taken, TakenImm(opcode, a, imm));

    [Fact]
    public void Ja_uses_the_offset_and_ja32_the_immediate()
    {
        Assert.Equal(2UL, RunBoth(P(Mov(0, 2), I(Opcodes.Ja, off: 1), Mov(0, 3), Exit())));
        Assert.Equal(2UL, RunBoth(P(Mov(0, 2), I(Opcodes.Ja32, imm: 1), Mov(0, 3), Exit())));
        // backwards: count r0 down to zero
        Assert.Equal(0UL, RunBoth(P(Mov(0, 5), Add(0, -1), I(Opcodes.JneImm, 0, 0, 1), Exit(), I(Opcodes.Ja32, imm: -4))));
    }
}

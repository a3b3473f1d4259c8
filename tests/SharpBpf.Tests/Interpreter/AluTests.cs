using SharpBpf.Isa;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Interpreter;

public class AluTests
{
    /// <summary>r0 = a; r1 = b; r0 = r0 OP r1 (register form, offset selects sdiv/smod/movsx).</summary>
    private static ulong Reg(byte opcode, ulong a, ulong b, int off = 0) =>
        RunBoth(P(Lddw(0, a), Lddw(1, b), I(opcode, 0, 1, off), Exit()));

    /// <summary>r0 = a; r0 = r0 OP imm.</summary>
    private static ulong Imm(byte opcode, ulong a, int imm, int off = 0) =>
        RunBoth(P(Lddw(0, a), I(opcode, 0, 0, off, imm), Exit()));

    [Theory]
    [InlineData(Opcodes.Add64Reg, 0xffff_ffff_ffff_ffffUL, 2UL, 1UL)]
    [InlineData(Opcodes.Add32Reg, 0x1_ffff_ffffUL, 2UL, 1UL)]
    [InlineData(Opcodes.Sub64Reg, 1UL, 2UL, 0xffff_ffff_ffff_ffffUL)]
    [InlineData(Opcodes.Sub32Reg, 1UL, 2UL, 0xffff_ffffUL)]
    [InlineData(Opcodes.Mul64Reg, 0x1_0000_0001UL, 0xffff_ffff_ffff_ffffUL, 0xffff_fffe_ffff_ffffUL)]
    [InlineData(Opcodes.Mul32Reg, 0x5_0000_0003UL, 0x7_0000_0005UL, 15UL)]
    [InlineData(Opcodes.Div64Reg, 100UL, 7UL, 14UL)]
    [InlineData(Opcodes.Div64Reg, 100UL, 0UL, 0UL)]
    [InlineData(Opcodes.Div32Reg, 0xffff_ffff_0000_0064UL, 0UL, 0UL)]
    [InlineData(Opcodes.Div32Reg, 0x10UL, 0x1_0000_0002UL, 8UL)] // only the low half of the divisor counts
    [InlineData(Opcodes.Mod64Reg, 100UL, 7UL, 2UL)]
    [InlineData(Opcodes.Mod64Reg, 0xdead_beef_0000_0005UL, 0UL, 0xdead_beef_0000_0005UL)]
    [InlineData(Opcodes.Mod32Reg, 0xdead_beef_0000_0005UL, 0UL, 5UL)] // RFC 9669: 32-bit mod by zero clears the upper half
    [InlineData(Opcodes.Mod32Reg, 0xdead_beef_0000_0011UL, 0x1_0000_0005UL, 2UL)]
    [InlineData(Opcodes.Or64Reg, 0xf0UL, 0x0f_0000_0000UL, 0x0f_0000_00f0UL)]
    [InlineData(Opcodes.Or32Reg, 0xffff_0000_0000_00f0UL, 0x0fUL, 0xffUL)]
    [InlineData(Opcodes.And64Reg, 0xff00_ff00_ff00_ff00UL, 0x0ff0_0ff0_0ff0_0ff0UL, 0x0f00_0f00_0f00_0f00UL)]
    [InlineData(Opcodes.And32Reg, 0xffff_ffff_ffff_ffffUL, 0xffff_ffff_0000_ff00UL, 0xff00UL)]
    [InlineData(Opcodes.Xor64Reg, 0xffUL, 0xff_0000_00ffUL, 0xff_0000_0000UL)]
    [InlineData(Opcodes.Xor32Reg, 0xffff_ffff_0000_00ffUL, 0x0fUL, 0xf0UL)]
    [InlineData(Opcodes.Mov32Reg, 0UL, 0xffff_ffff_8000_0000UL, 0x8000_0000UL)]
    [InlineData(Opcodes.Mov64Reg, 0UL, 0xffff_ffff_8000_0000UL, 0xffff_ffff_8000_0000UL)]
    [InlineData(Opcodes.Lsh64Reg, 1UL, 65UL, 2UL)] // count masked to 6 bits
    [InlineData(Opcodes.Lsh32Reg, 1UL, 60UL, 0x1000_0000UL)] // count masked to 5 bits
    [InlineData(Opcodes.Lsh32Reg, 0x8000_0001UL, 1UL, 2UL)]
    [InlineData(Opcodes.Rsh64Reg, 0x8000_0000_0000_0000UL, 63UL, 1UL)]
    [InlineData(Opcodes.Rsh32Reg, 0xffff_ffff_8000_0000UL, 31UL, 1UL)]
    [InlineData(Opcodes.Arsh64Reg, 0x8000_0000_0000_0000UL, 63UL, 0xffff_ffff_ffff_ffffUL)]
    [InlineData(Opcodes.Arsh32Reg, 0x8000_0000UL, 4UL, 0xf800_0000UL)]
    [InlineData(Opcodes.Arsh32Reg, 0x8000_0000UL, 36UL, 0xf800_0000UL)]
    public void Binary_register_forms(byte opcode, ulong a, ulong b, ulong expected) =>
        Assert.Equal(expected, Reg(opcode, a, b));

    [Theory]
    [InlineData(Opcodes.Add64Imm, 5UL, -6, 0xffff_ffff_ffff_ffffUL)] // imm sign-extended for ALU64
    [InlineData(Opcodes.Add32Imm, 5UL, -6, 0xffff_ffffUL)]
    [InlineData(Opcodes.Or64Imm, 0UL, unchecked((int)0x8000_0000), 0xffff_ffff_8000_0000UL)]
    [InlineData(Opcodes.Or32Imm, 0UL, unchecked((int)0x8000_0000), 0x8000_0000UL)]
    [InlineData(Opcodes.And64Imm, 0x1234_5678_9abc_def0UL, -1, 0x1234_5678_9abc_def0UL)]
    [InlineData(Opcodes.Mov64Imm, 0UL, -1, 0xffff_ffff_ffff_ffffUL)]
    [InlineData(Opcodes.Mov32Imm, 0xffff_ffff_ffff_ffffUL, -1, 0xffff_ffffUL)]
    [InlineData(Opcodes.Div64Imm, 100UL, -1, 0UL)] // divisor 0xffff_ffff_ffff_ffff, unsigned
    [InlineData(Opcodes.Div64Imm, 100UL, 0, 0UL)]
    [InlineData(Opcodes.Div32Imm, 100UL, 0, 0UL)]
    [InlineData(Opcodes.Mod64Imm, 100UL, 0, 100UL)]
    [InlineData(Opcodes.Mod32Imm, 0x1_0000_0064UL, 0, 100UL)]
    [InlineData(Opcodes.Lsh32Imm, 1UL, 60, 0x1000_0000UL)]
    [InlineData(Opcodes.Rsh32Imm, 0x8000_0000UL, -24, 0x0080_0000UL)] // -24 & 31 = 8
    [InlineData(Opcodes.Rsh64Imm, 0x8000_0000_0000_0000UL, -1, 1UL)] // -1 & 63 = 63
    [InlineData(Opcodes.Arsh64Imm, 0xf000_0000_0000_0000UL, 4, 0xff00_0000_0000_0000UL)]
    [InlineData(Opcodes.Arsh32Imm, 0xffff_ffff_7000_0000UL, 4, 0x0700_0000UL)]
    [InlineData(Opcodes.Mul64Imm, 0x8000_0000_0000_0000UL, -1, 0x8000_0000_0000_0000UL)]
    [InlineData(Opcodes.Xor32Imm, 0xffff_ffff_ffff_ffffUL, 0xff, 0xffff_ff00UL)]
    public void Binary_immediate_forms(byte opcode, ulong a, int imm, ulong expected) =>
        Assert.Equal(expected, Imm(opcode, a, imm));

    [Theory]
    [InlineData(Opcodes.Div64Reg, 0xffff_ffff_ffff_fff9UL, 2UL, 0xffff_ffff_ffff_fffdUL)] // -7 / 2 = -3
    [InlineData(Opcodes.Div64Reg, 0x8000_0000_0000_0000UL, 0xffff_ffff_ffff_ffffUL, 0x8000_0000_0000_0000UL)] // INT_MIN / -1
    [InlineData(Opcodes.Div64Reg, 5UL, 0UL, 0UL)]
    [InlineData(Opcodes.Mod64Reg, 0xffff_ffff_ffff_fff9UL, 2UL, 0xffff_ffff_ffff_ffffUL)] // -7 % 2 = -1
    [InlineData(Opcodes.Mod64Reg, 7UL, 0xffff_ffff_ffff_fffeUL, 1UL)] // 7 % -2 = 1
    [InlineData(Opcodes.Mod64Reg, 0x8000_0000_0000_0000UL, 0xffff_ffff_ffff_ffffUL, 0UL)] // INT_MIN % -1
    [InlineData(Opcodes.Mod64Reg, 0xdead_0000_0000_0007UL, 0UL, 0xdead_0000_0000_0007UL)]
    [InlineData(Opcodes.Div32Reg, 0xffff_fff9UL, 2UL, 0xffff_fffdUL)]
    [InlineData(Opcodes.Div32Reg, 0x8000_0000UL, 0xffff_ffffUL, 0x8000_0000UL)]
    [InlineData(Opcodes.Div32Reg, 0x1234_0000_0000_0005UL, 0UL, 0UL)]
    [InlineData(Opcodes.Mod32Reg, 0xffff_fff9UL, 2UL, 0xffff_ffffUL)]
    [InlineData(Opcodes.Mod32Reg, 0x8000_0000UL, 0xffff_ffffUL, 0UL)]
    [InlineData(Opcodes.Mod32Reg, 0x1234_0000_0000_0007UL, 0UL, 7UL)]
    public void Signed_division_and_modulo(byte opcode, ulong a, ulong b, ulong expected) =>
        Assert.Equal(expected, Reg(opcode, a, b, off: 1));

    [Theory]
    [InlineData(Opcodes.Div64Imm, 0xffff_ffff_ffff_fff9UL, -2, 3UL)]
    [InlineData(Opcodes.Div64Imm, 0x8000_0000_0000_0000UL, -1, 0x8000_0000_0000_0000UL)]
    [InlineData(Opcodes.Mod64Imm, 0x8000_0000_0000_0000UL, -1, 0UL)]
    [InlineData(Opcodes.Div32Imm, 0x8000_0000UL, -1, 0x8000_0000UL)]
    [InlineData(Opcodes.Mod32Imm, 0xffff_fff9UL, 2, 0xffff_ffffUL)]
    [InlineData(Opcodes.Div32Imm, 0x8000_0000UL, 0, 0UL)]
    public void Signed_division_and_modulo_by_immediate(byte opcode, ulong a, int imm, ulong expected) =>
        Assert.Equal(expected, Imm(opcode, a, imm, off: 1));

    [Theory]
    [InlineData(Opcodes.Neg64, 5UL, 0xffff_ffff_ffff_fffbUL)]
    [InlineData(Opcodes.Neg64, 0x8000_0000_0000_0000UL, 0x8000_0000_0000_0000UL)]
    [InlineData(Opcodes.Neg32, 0xffff_ffff_0000_0005UL, 0xffff_fffbUL)]
    [InlineData(Opcodes.Neg32, 0x8000_0000UL, 0x8000_0000UL)]
    public void Negation(byte opcode, ulong a, ulong expected) =>
        Assert.Equal(expected, RunBoth(P(Lddw(0, a), I(opcode, 0), Exit())));

    [Theory]
    [InlineData(Opcodes.Mov64Reg, 8, 0x80UL, 0xffff_ffff_ffff_ff80UL)]
    [InlineData(Opcodes.Mov64Reg, 8, 0x1234_567fUL, 0x7fUL)]
    [InlineData(Opcodes.Mov64Reg, 16, 0xffff_8000UL, 0xffff_ffff_ffff_8000UL)]
    [InlineData(Opcodes.Mov64Reg, 32, 0x1_8000_0000UL, 0xffff_ffff_8000_0000UL)]
    [InlineData(Opcodes.Mov32Reg, 8, 0x80UL, 0xffff_ff80UL)]
    [InlineData(Opcodes.Mov32Reg, 16, 0xffff_ffff_0000_8001UL, 0xffff_8001UL)]
    public void Sign_extending_moves(byte opcode, int bits, ulong source, ulong expected) =>
        Assert.Equal(expected, Reg(opcode, 0xdead_beefUL, source, off: bits));

    [Theory]
    [InlineData(Opcodes.ToLe, 16, 0x0000_0000_0000_cdefUL)]
    [InlineData(Opcodes.ToLe, 32, 0x0000_0000_89ab_cdefUL)]
    [InlineData(Opcodes.ToLe, 64, 0x0123_4567_89ab_cdefUL)]
    [InlineData(Opcodes.ToBe, 16, 0x0000_0000_0000_efcdUL)]
    [InlineData(Opcodes.ToBe, 32, 0x0000_0000_efcd_ab89UL)]
    [InlineData(Opcodes.ToBe, 64, 0xefcd_ab89_6745_2301UL)]
    [InlineData(Opcodes.Bswap, 16, 0x0000_0000_0000_efcdUL)]
    [InlineData(Opcodes.Bswap, 32, 0x0000_0000_efcd_ab89UL)]
    [InlineData(Opcodes.Bswap, 64, 0xefcd_ab89_6745_2301UL)]
    public void Byte_order(byte opcode, int bits, ulong expected) =>
        Assert.Equal(expected, Imm(opcode, 0x0123_4567_89ab_cdefUL, bits));

    [Fact]
    public void Lddw_loads_all_64_bits_and_skips_its_second_slot() =>
        Assert.Equal(0x1122_3344_5566_7788UL, RunBoth(P(Lddw(0, 0x1122_3344_5566_7788UL), Exit())));

    [Fact]
    public void Lddw_func_loads_a_tagged_slot_value()
    {
        // slot 0: lddw r0, func +3 → slot 4 (pc + 1 + imm)
        var program = P(I(Opcodes.Lddw, 0, (int)LoadImm64Source.Function, imm: 3), I(0), Exit(), Exit(), Exit());
        Assert.Equal(SharpBpf.Helpers.FunctionPointer.Encode(4), RunBoth(program));
    }
}

using CsCheck;
using SharpBpf.Asm;
using SharpBpf.Isa;

namespace SharpBpf.Tests.Asm;

public class FormatterTests
{
    private static string Asm(string source)
    {
        var program = Assembler.Assemble(source);
        return AsmSyntaxFormatter.Instance.Format(program[0], program.Length > 1 ? program[1] : null, 0);
    }

    private static string Llvm(string source)
    {
        var program = Assembler.Assemble(source);
        return LlvmSyntaxFormatter.Instance.Format(program[0], program.Length > 1 ? program[1] : null, 0);
    }

    [Theory]
    [InlineData("mov32 %r0, 0xffffffff", "mov32 %r0, -1")]
    [InlineData("swap16 %r1", "bswap16 %r1")]
    [InlineData("ldxw %r1, [%r2+0x10]", "ldxw %r1, [%r2+16]")]
    [InlineData("stxdw [%r10], %r1", "stxdw [%r10], %r1")]
    [InlineData("lock fetch xor32 [%r10-4], %r3", "lock fetch xor32 [%r10-4], %r3")]
    [InlineData("jgt32 %r1, %r2, +0", "jgt32 %r1, %r2, +0")]
    [InlineData("ja32 -7", "ja32 -7")]
    [InlineData("call helper 1", "call 1")]
    [InlineData("callx %r4", "call %r4")]
    [InlineData("call local +3", "call local +3")]
    [InlineData("call kfunc 9, -1", "call kfunc 9, -1")]
    [InlineData("lddw %r1, -1", "lddw %r1, 0xffffffffffffffff")]
    [InlineData("lddw %r1, map_idx_value 0x0000000800000002", "lddw %r1, map_idx_value 0x800000002")]
    [InlineData("ldindb %r3, -2", "ldindb %r3, -2")]
    public void ConformanceSyntax(string source, string expected) => Assert.Equal(expected, Asm(source));

    [Theory]
    [InlineData("mov %r0, 1", "r0 = 0x1")]
    [InlineData("add32 %r0, %r1", "w0 += w1")]
    [InlineData("jgt %r1, 2, +3", "if r1 > 0x2 goto +0x3")]
    [InlineData("jsle32 %r1, %r2, -3", "if w1 s<= w2 goto -0x3")]
    [InlineData("ldxw %r1, [%r2+8]", "w1 = *(u32 *)(r2 + 0x8)")]
    [InlineData("ldxsw %r1, [%r2+8]", "r1 = *(s32 *)(r2 + 0x8)")]
    [InlineData("lock add [%r10-8], %r1", "lock *(u64 *)(r10 - 0x8) += r1")]
    [InlineData("lock fetch add [%r10-8], %r0", "r0 = atomic_fetch_add((u64 *)(r10 - 0x8), r0)")]
    [InlineData("lock cmpxchg32 [%r10-4], %r2", "w0 = cmpxchg32_32(r10 - 0x4, w0, w2)")]
    [InlineData("call 1", "call 0x1")]
    [InlineData("exit", "exit")]
    [InlineData("lddw %r1, 0x1122334455667788", "r1 = 0x1122334455667788 ll")]
    [InlineData("lddw %r1, 0x8000000000000000", "r1 = -0x8000000000000000 ll")]
    [InlineData("bswap16 %r0", "r0 = bswap16 r0")]
    [InlineData("be16 %r0", "r0 = be16 r0")]
    [InlineData("movsx832 %r0, %r1", "w0 = (s8)w1")]
    [InlineData("sdiv %r0, %r1", "r0 s/= r1")]
    [InlineData("ja32 +5", "gotol +0x5")]
    [InlineData("mov %r0, -2147483648", "r0 = -0x80000000")]
    [InlineData("ldindw %r1, 4", "r0 = *(u32 *)skb[r1 + 0x4]")]
    [InlineData("call kfunc 77, 3", "call 0x4d, 0x3")]
    public void LlvmSyntax(string source, string expected) => Assert.Equal(expected, Llvm(source));

    [Theory]
    [InlineData(0xffUL, "<invalid: unknown opcode 0xff>")]
    [InlineData(0x01_00000095UL, "<invalid: exit (opcode 0x95): immediate must be 0x0, is 0x1>")]
    [InlineData(0x0000000000000bb7UL, "<invalid: mov (opcode 0xb7): invalid dst register r11>")]
    public void InvalidSlotsFormatAsInvalidInBothSyntaxes(ulong raw, string expected)
    {
        var insn = Instruction.FromRaw(raw);

        Assert.Equal(expected, AsmSyntaxFormatter.Instance.Format(insn, null, 0));
        Assert.Equal(expected, LlvmSyntaxFormatter.Instance.Format(insn, null, 0));
    }

    [Fact]
    public void TruncatedOrBrokenLddwIsInvalidAndTheListingContinues()
    {
        Instruction[] program = [Instruction.FromRaw(0x118), Instruction.FromRaw(0x95), Instruction.FromRaw(0x118)];

        var listing = Disassembler.Disassemble(program, DisassemblySyntax.Conformance);

        Assert.Equal(
            "<invalid: invalid second slot of lddw: opcode, registers and offset must be 0>\nexit\n<invalid: lddw is truncated: its second slot is missing>\n",
            listing);
    }

    [Fact]
    public void ListingsOfRandomBytesHaveOneLinePerInstruction()
    {
        Gen.ULong.Array[1, 20].Sample(words =>
        {
            var program = words.Select(Instruction.FromRaw).ToArray();
            foreach (var syntax in Enum.GetValues<DisassemblySyntax>())
            {
                var lines = Disassembler.Disassemble(program, syntax).Split('\n')[..^1];
                Assert.InRange(lines.Length, (program.Length + 1) / 2, program.Length);
                Assert.All(lines, line => Assert.False(string.IsNullOrWhiteSpace(line)));
            }
        }, iter: 2000);
    }
}

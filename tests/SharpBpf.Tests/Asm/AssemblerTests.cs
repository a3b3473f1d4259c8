using SharpBpf.Asm;
using SharpBpf.Isa;

namespace SharpBpf.Tests.Asm;

public class AssemblerTests
{
    private static ulong Single(string source) => Assert.Single(Assembler.Assemble(source)).RawValue;

    [Theory]
    [InlineData("mov32 %r0, 0xffffffff", 0xffffffff_000000b4UL)]
    [InlineData("mov32 %r0, 0x80000000", 0x80000000_000000b4UL)]
    [InlineData("mov %r0, -2147483648", 0x80000000_000000b7UL)]
    [InlineData("mov %r0, 2147483647", 0x7fffffff_000000b7UL)]
    [InlineData("mov %r0, -0x80000000", 0x80000000_000000b7UL)]
    [InlineData("mov %r0, +0x7FFFFFFF", 0x7fffffff_000000b7UL)]
    [InlineData("add %r1,%r2", 0x0000000000_00210fUL)]
    [InlineData("sdiv32 %r1, %r2", 0x00000000_0001213cUL)]
    [InlineData("smod %r1, 3", 0x00000003_00010197UL)]
    [InlineData("movsx1664 %r1, %r2", 0x00000000_001021bfUL)]
    [InlineData("movsx832 %r1, %r2", 0x00000000_000821bcUL)]
    [InlineData("swap32 %r3", 0x00000020_000003d7UL)]
    [InlineData("bswap64 %r3", 0x00000040_000003d7UL)]
    [InlineData("be16 %r3", 0x00000010_000003dcUL)]
    [InlineData("ldxsh %r1, [%r2-0x10]", 0x00000000_fff02189UL)]
    [InlineData("ldxdw %r1, [%r2]", 0x00000000_00002179UL)]
    [InlineData("stb [%r10-1], -1", 0xffffffff_ffff0a72UL)]
    [InlineData("stxdw [%r10+32767], %r9", 0x00000000_7fff9a7bUL)]
    [InlineData("lock fetch add32 [%r10-4], %r1", 0x00000001_fffc1ac3UL)]
    [InlineData("lock cmpxchg [%r10-8], %r2", 0x000000f1_fff82adbUL)]
    [InlineData("lock xor [%r10-8], %r2", 0x000000a0_fff82adbUL)]
    [InlineData("ja +3", 0x00000000_00030005UL)]
    [InlineData("ja32 -1", 0xffffffff_00000006UL)]
    [InlineData("jsle32 %r1, -7, +2", 0xfffffff9_000201d6UL)]
    [InlineData("jset %r1, %r2, -32768", 0x00000000_8000214dUL)]
    [InlineData("call 5", 0x00000005_00000085UL)]
    [InlineData("call helper 5", 0x00000005_00000085UL)]
    [InlineData("call %r2", 0x00000000_0000028dUL)]
    [InlineData("callx %r2", 0x00000000_0000028dUL)]
    [InlineData("call kfunc 77", 0x0000004d_00002085UL)]
    [InlineData("call kfunc 77, 3", 0x0000004d_00032085UL)]
    [InlineData("call local -2", 0xfffffffe_00001085UL)]
    [InlineData("ldabsw 12", 0x0000000c_00000020UL)]
    [InlineData("ldindh %r1, 4", 0x00000004_00001048UL)]
    [InlineData("neg32 %r4", 0x00000000_00000484UL)]
    [InlineData("exit # done", 0x00000000_00000095UL)]
    public void EncodesOneInstruction(string source, ulong raw) => Assert.Equal(raw, Single(source));

    [Theory]
    [InlineData("lddw %r1, 0x1122334455667788", 0x55667788_00000118UL, 0x11223344_00000000UL)]
    [InlineData("lddw %r1, -1", 0xffffffff_00000118UL, 0xffffffff_00000000UL)]
    [InlineData("lddw %r1, 0xFFFFFFFF80000000", 0x80000000_00000118UL, 0xffffffff_00000000UL)]
    [InlineData("lddw %r1, 2147483648", 0x80000000_00000118UL, 0UL)]
    [InlineData("lddw %r1, 18446744073709551615", 0xffffffff_00000118UL, 0xffffffff_00000000UL)]
    [InlineData("lddw %r1, -9223372036854775808", 0x00000000_00000118UL, 0x80000000_00000000UL)]
    [InlineData("lddw %r1, map_fd 3", 0x00000003_00001118UL, 0UL)]
    [InlineData("lddw %r1, map_value 0x0000000400000003", 0x00000003_00002118UL, 0x00000004_00000000UL)]
    [InlineData("lddw %r2, func -3", 0xfffffffd_00004218UL, 0xffffffff_00000000UL)]
    public void EncodesLddwOverTwoSlots(string source, ulong first, ulong second)
    {
        var program = Assembler.Assemble(source);

        Assert.Equal([first, second], program.Select(i => i.RawValue));
    }

    [Fact]
    public void LabelsAndTheImplicitExitResolveToSlotDeltas()
    {
        var program = Assembler.Assemble("""
            start:
                jeq %r1, 0, exit     # first exit is the implicit label
                lddw %r0, 1
                ja done
            back: mov %r0, 2
            done:
                jne %r0, 2, back
                call local start
                exit
                exit
            """);

        Assert.Equal(6, program[0].Offset);      // slot 0 -> exit at 7 (lddw takes slots 1 and 2)
        Assert.Equal(1, program[3].Offset);      // slot 3 -> done at 5
        Assert.Equal(-2, program[5].Offset);     // slot 5 -> back at 4
        Assert.Equal(-7, program[6].Immediate);  // call local from 6 to 0
        Assert.Equal(9, program.Length);
    }

    [Fact]
    public void AnExplicitExitLabelWinsOverTheImplicitOne()
    {
        var program = Assembler.Assemble("ja exit\nexit\nexit:\nexit");

        Assert.Equal(1, program[0].Offset);
    }

    [Fact]
    public void EmptySourceGivesNoInstructions() => Assert.Empty(Assembler.Assemble("# nothing\n\n"));

    [Theory]
    [InlineData("mov %r0, 1\nfoo %r0", 2, 1, "unknown mnemonic 'foo'")]
    [InlineData("exit %r0", 1, 1, "invalid number of operands for exit: expected 0, got 1")]
    [InlineData("mov %r0", 1, 1, "invalid number of operands for mov: expected 2, got 1")]
    [InlineData("mov %r11, 1", 1, 5, "invalid register '%r11': registers are %r0 to %r10")]
    [InlineData("mov %rx, 1", 1, 5, "invalid register '%rx'")]
    [InlineData("mov r1, 1", 1, 5, "expected a register, got 'r1'")]
    [InlineData("mov32 %r0, -2147483649", 1, 12, "'-2147483649' does not fit in a signed 32-bit immediate")]
    [InlineData("mov %r0, 12abc", 1, 10, "'12abc' is not a number")]
    [InlineData("mov %r0, -0x80000001", 1, 10, "'-0x80000001' does not fit in a signed 32-bit immediate")]
    [InlineData("lddw %r0, -9223372036854775809", 1, 11, "'-9223372036854775809' does not fit in a signed 64-bit value")]
    [InlineData("lddw %r0, 0x10000000000000000", 1, 11, "'0x10000000000000000' is not a number or does not fit in 64 bits")]
    [InlineData("ldxw %r0, [%r1+32768]", 1, 15, "offset '+32768' is out of range [-32768, 32767]")]
    [InlineData("ldxw %r0, [%r1-32769]", 1, 15, "offset '-32769' is out of range [-32768, 32767]")]
    [InlineData("ldxw %r0, [%r1+]", 1, 15, "invalid offset '+'")]
    [InlineData("ldxw %r0, %r1", 1, 11, "expected a memory operand [%rN+off], got '%r1'")]
    [InlineData("stxw [%r1], 5", 1, 13, "expected a register, got '5'")]
    [InlineData("ja +32768", 1, 4, "jump offset '+32768' is out of range [-32768, 32767]")]
    [InlineData("ja 3", 1, 4, "invalid jump target '3': expected a label or +N/-N")]
    [InlineData("ja nowhere\nexit", 1, 4, "undefined label 'nowhere'")]
    [InlineData("a:\nexit\n  a:", 3, 3, "duplicate label 'a'")]
    [InlineData("9x:\nexit", 1, 1, "invalid label name '9x'")]
    [InlineData("lock\nexit", 1, 1, "invalid number of operands for lock: the operation is missing")]
    [InlineData("lock nand [%r10-8], %r1", 1, 1, "unknown mnemonic 'lock nand'")]
    [InlineData("movsx864 %r1, 5", 1, 15, "expected a register, got '5'")]
    public void RejectsWithLineAndColumn(string source, int line, int column, string reason)
    {
        var error = Assert.Throws<AsmSyntaxException>(() => Assembler.Assemble(source));

        Assert.Equal(reason, error.Reason);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Equal(source.Split('\n')[line - 1], error.LineText);
        Assert.Equal($"line {line}, column {column}: {reason}", error.Message);
        Assert.IsAssignableFrom<BpfException>(error);
    }

    [Fact]
    public void ALabelTooFarForA16BitOffsetIsRejected()
    {
        var source = "ja far\n" + string.Concat(Enumerable.Repeat("mov %r0, 0\n", 32768)) + "far: exit";

        var error = Assert.Throws<AsmSyntaxException>(() => Assembler.Assemble(source));

        Assert.Equal(1, error.Line);
        Assert.Equal("label 'far' is 32768 slots away, out of range [-32768, 32767]", error.Reason);
        Assert.Equal(32768, Assert.Single(Assembler.Assemble(source.Replace("ja far", "ja32 far", StringComparison.Ordinal)).Take(1)).Immediate);
    }
}

using SharpBpf.Asm;
using SharpBpf.Isa;
using SharpBpf.Verifier;

namespace SharpBpf.Tests.Isa;

/// <summary>may_goto (BPF_JMP | BPF_JCOND, src BPF_MAY_GOTO): decoded, assembled and printed in every syntax.</summary>
public class MayGotoInstructionTests
{
    [Fact]
    public void Assembles_to_opcode_e5_with_the_offset_and_reserved_fields_zero()
    {
        var insn = Assert.Single(Assembler.Assemble("may_goto +3"));
        Assert.Equal(new Instruction(0xe5, 0, 0, 3, 0), insn);
        Assert.True(OpcodeTable.TryDecode(insn, out var row));
        Assert.Equal("may_goto", row.Mnemonic);
    }

    [Fact]
    public void Prints_as_the_assembler_llvm_and_kernel_log_write_it()
    {
        var insn = new Instruction(Opcodes.MayGoto, 0, 0, -4, 0);
        Assert.Equal("may_goto -4", AsmSyntaxFormatter.Instance.Format(insn, null, 0));
        Assert.StartsWith("may_goto ", LlvmSyntaxFormatter.Instance.Format(insn, null, 0), StringComparison.Ordinal);
        Assert.Equal("(e5) may_goto pc-4", KernelInstructionFormatter.Format(insn, null));
        Assert.Equal(insn, Assert.Single(Assembler.Assemble(AsmSyntaxFormatter.Instance.Format(insn, null, 0))));
    }

    [Theory]
    [InlineData(1, 0, 0)] // another JCOND kind than BPF_MAY_GOTO
    [InlineData(0, 2, 0)]
    [InlineData(0, 0, 7)]
    public void Any_field_but_the_offset_set_is_not_a_may_goto(byte src, byte dst, int imm)
    {
        var insn = new Instruction(Opcodes.MayGoto, dst, src, 2, imm);
        Assert.False(OpcodeTable.TryDecode(insn, out _));
        Assert.NotNull(OpcodeTable.Explain(insn));
    }
}

using SharpBpf.Isa;

namespace SharpBpf.Verifier;

/// <summary>
/// do_check's per-instruction field checks, made where a path reaches the instruction (as the kernel does, so an
/// instruction only dead branches lead to is not judged): reserved fields, registers above R10, division by the
/// immediate 0. A register known to be 0 as divisor is allowed: BPF defines the result.
/// </summary>
internal sealed partial class Analysis
{
    private bool CheckFields(int pc, Instruction insn)
    {
        if (OpcodeTable.Explain(insn) is not null)
        {
            if (insn.Opcode == Opcodes.MayGoto)
            {
                return Reject(pc, $"invalid may_goto imm {insn.Immediate}");
            }

            // The opcode is known (ProgramStructure checked it); a register field above R10 or a reserved field is not.
            if (insn.Src > 10 && OpcodeTable.Explain(insn.WithSrc(0)) is null)
            {
                return Reject(pc, $"R{insn.Src} is invalid");
            }

            if (insn.Dst > 10 && OpcodeTable.Explain(new Instruction(insn.Opcode, 0, insn.Src > 10 ? (byte)0 : insn.Src, insn.Offset, insn.Immediate)) is null)
            {
                return Reject(pc, $"R{insn.Dst} is invalid");
            }

            return Reject(pc, $"{ReservedFieldsName(insn)} uses reserved fields");
        }

        bool isAlu = insn.Class is InstructionClass.Alu or InstructionClass.Alu64;
        var op = (AluOperation)(insn.Opcode & 0xf0);
        if (isAlu && op is AluOperation.Div or AluOperation.Mod && (insn.Opcode & 0x08) == 0 && insn.Immediate == 0)
        {
            return Reject(pc, "div by zero");
        }

        if (isAlu && op is AluOperation.Lsh or AluOperation.Rsh or AluOperation.Arsh && (insn.Opcode & 0x08) == 0
            && (insn.Immediate < 0 || insn.Immediate >= (insn.Class == InstructionClass.Alu64 ? 64 : 32)))
        {
            return Reject(pc, $"invalid shift {insn.Immediate}");
        }

        return true;
    }

    /// <summary>How the kernel names an instruction group in "… uses reserved fields".</summary>
    private static string ReservedFieldsName(Instruction insn)
    {
        switch (insn.Class)
        {
            case InstructionClass.Alu or InstructionClass.Alu64:
                return (AluOperation)(insn.Opcode & 0xf0) switch
                {
                    AluOperation.Mov => "BPF_MOV",
                    AluOperation.Neg => "BPF_NEG",
                    AluOperation.End => "BPF_END",
                    _ => "BPF_ALU",
                };
            case InstructionClass.St:
                return "BPF_ST";
            case InstructionClass.Stx:
                return (insn.Opcode & 0xe0) == 0xc0 ? "BPF_ATOMIC" : "BPF_STX";
            case InstructionClass.Ldx:
                return "BPF_LDX";
            case InstructionClass.Ld:
                return "BPF_LD_[ABS|IND]";
            default:
                return (JumpOperation)(insn.Opcode & 0xf0) switch
                {
                    JumpOperation.Call => "BPF_CALL",
                    JumpOperation.Ja => "BPF_JA",
                    JumpOperation.Exit => "BPF_EXIT",
                    _ => "BPF_JMP/JMP32",
                };
        }
    }
}

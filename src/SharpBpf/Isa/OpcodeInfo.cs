namespace SharpBpf.Isa;

/// <summary>
/// One row of the opcode table: an opcode byte plus the field values that select this variant, its
/// mnemonic in the conformance-suite assembly syntax, its operand shape and where it entered the ISA.
/// </summary>
/// <param name="Qualifier">
/// A word after the mnemonic that selects a variant sharing opcode and mnemonic: <c>local</c>/<c>kfunc</c> for
/// calls, the pseudo source kinds for <c>lddw</c> (<c>map_fd</c>, <c>func</c>, …). Empty for most rows.
/// </param>
internal sealed record OpcodeInfo(
    byte Opcode,
    string Mnemonic,
    string Qualifier,
    InstructionForm Form,
    FieldRule Dst,
    FieldRule Src,
    FieldRule Offset,
    FieldRule Immediate,
    int CpuVersion,
    ConformanceGroups Groups)
{
    public InstructionClass Class => (InstructionClass)(Opcode & 0x07);

    /// <summary>True for the 32-bit ALU and JMP32 classes, and 32-bit atomics.</summary>
    public bool Is32Bit => Class is InstructionClass.Alu or InstructionClass.Jmp32
        || (Form == InstructionForm.Atomic && (Opcode & 0x18) == (byte)AccessSize.Word);

    /// <summary>Access width in bytes for loads, stores and atomics; 0 otherwise.</summary>
    public int AccessBytes => Class is InstructionClass.Ldx or InstructionClass.St or InstructionClass.Stx
        || Form is InstructionForm.LoadPacketAbs or InstructionForm.LoadPacketInd
        ? ((AccessSize)(Opcode & 0x18)).Bytes()
        : 0;

    public bool IsWide => Form == InstructionForm.LoadImm64;

    /// <summary>The mnemonic with its qualifier, as written in assembly (<c>call local</c>, <c>lock fetch add</c>).</summary>
    public string FullMnemonic => Qualifier.Length == 0 ? Mnemonic : $"{Mnemonic} {Qualifier}";

    /// <summary>True when every fixed field matches and every register operand is r0–r10.</summary>
    public bool Matches(Instruction insn) => MismatchCount(insn) == 0;

    internal int MismatchCount(Instruction insn)
    {
        var count = 0;
        if (!RegisterAccepted(Dst, insn.Dst)) count++;
        if (!RegisterAccepted(Src, insn.Src)) count++;
        if (!Offset.Accepts(insn.Offset)) count++;
        if (!Immediate.Accepts(insn.Immediate)) count++;
        return count;
    }

    internal static bool RegisterAccepted(FieldRule rule, byte register) =>
        rule.IsOperand ? register <= 10 : register == rule.FixedValue;
}

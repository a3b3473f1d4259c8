using SharpBpf.Isa;

namespace SharpBpf.Asm;

/// <summary>One written operand of an instruction and the field(s) it fills.</summary>
internal enum OperandKind
{
    /// <summary><c>%rN</c> into dst.</summary>
    DstRegister,
    /// <summary><c>%rN</c> into src.</summary>
    SrcRegister,
    /// <summary>A 32-bit immediate (decimal int32 or a 32-bit hex bit pattern).</summary>
    Immediate,
    /// <summary>A 64-bit constant split over the two <c>lddw</c> slots.</summary>
    Immediate64,
    /// <summary><c>[%rN±off]</c> with the register in dst (stores, atomics).</summary>
    DstMemory,
    /// <summary><c>[%rN±off]</c> with the register in src (loads).</summary>
    SrcMemory,
    /// <summary>A label or <c>±N</c> slots, stored in the offset field.</summary>
    OffsetTarget,
    /// <summary>A label or <c>±N</c> slots, stored in the immediate field.</summary>
    ImmediateTarget,
    /// <summary>An optional trailing signed 16-bit value in the offset field (kfunc module index).</summary>
    OptionalOffset,
}

/// <summary>
/// The written operands of each <see cref="InstructionForm"/>, in order. The assembler parses by it and the
/// conformance-syntax formatter prints by it, which is what keeps the two in step for every table row.
/// </summary>
internal static class OperandLayout
{
    private static readonly OperandKind[] None = [];

    public static OperandKind[] For(InstructionForm form) => form switch
    {
        InstructionForm.AluImm => [OperandKind.DstRegister, OperandKind.Immediate],
        InstructionForm.AluReg => [OperandKind.DstRegister, OperandKind.SrcRegister],
        InstructionForm.AluUnary or InstructionForm.Endian or InstructionForm.CallReg => [OperandKind.DstRegister],
        InstructionForm.LoadImm64 => [OperandKind.DstRegister, OperandKind.Immediate64],
        InstructionForm.LoadPacketAbs => [OperandKind.Immediate],
        InstructionForm.LoadPacketInd => [OperandKind.SrcRegister, OperandKind.Immediate],
        InstructionForm.Load => [OperandKind.DstRegister, OperandKind.SrcMemory],
        InstructionForm.StoreImm => [OperandKind.DstMemory, OperandKind.Immediate],
        InstructionForm.StoreReg or InstructionForm.Atomic => [OperandKind.DstMemory, OperandKind.SrcRegister],
        InstructionForm.Jump => [OperandKind.OffsetTarget],
        InstructionForm.JumpLong or InstructionForm.CallLocal => [OperandKind.ImmediateTarget],
        InstructionForm.CondJumpImm => [OperandKind.DstRegister, OperandKind.Immediate, OperandKind.OffsetTarget],
        InstructionForm.CondJumpReg => [OperandKind.DstRegister, OperandKind.SrcRegister, OperandKind.OffsetTarget],
        InstructionForm.CallHelper => [OperandKind.Immediate],
        InstructionForm.CallKfunc => [OperandKind.Immediate, OperandKind.OptionalOffset],
        _ => None,
    };

    public static int RequiredCount(OperandKind[] layout) =>
        layout.Length > 0 && layout[^1] == OperandKind.OptionalOffset ? layout.Length - 1 : layout.Length;

    public static bool IsRegister(OperandKind kind) => kind is OperandKind.DstRegister or OperandKind.SrcRegister;
}

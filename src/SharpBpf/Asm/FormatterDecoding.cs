using SharpBpf.Isa;

namespace SharpBpf.Asm;

/// <summary>The decode step both formatters share: find the row, or say why the slot is not an instruction.</summary>
internal static class FormatterDecoding
{
    public static bool TryDecode(Instruction insn, Instruction? next, out OpcodeInfo row, out string invalidText)
    {
        invalidText = "";
        if (!OpcodeTable.TryDecode(insn, out var found))
        {
            row = null!;
            invalidText = Invalid(OpcodeTable.Explain(insn) ?? "unknown instruction");
            return false;
        }

        row = found;
        if (!row.IsWide)
        {
            return true;
        }

        if (next is not { } second)
        {
            invalidText = Invalid("lddw is truncated: its second slot is missing");
            return false;
        }

        if (second.Opcode != 0 || second.Dst != 0 || second.Src != 0 || second.Offset != 0)
        {
            invalidText = Invalid("invalid second slot of lddw: opcode, registers and offset must be 0");
            return false;
        }

        return true;
    }

    public static string Invalid(string reason) => $"<invalid: {reason}>";

    /// <summary>The 64-bit constant of an lddw pair.</summary>
    public static ulong Wide(Instruction first, Instruction second) => (uint)first.Immediate | ((ulong)(uint)second.Immediate << 32);
}

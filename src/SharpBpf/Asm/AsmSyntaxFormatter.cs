using System.Globalization;
using System.Text;
using SharpBpf.Isa;

namespace SharpBpf.Asm;

/// <summary>
/// Prints instructions in the conformance assembly syntax so that <see cref="Assembler"/> reads them back to the
/// same bytes: jump and call targets as signed slot counts (<c>+3</c>, <c>-1</c>), lddw constants as 64-bit hex,
/// other immediates in decimal. It does not invent labels; a whole-program listing is the Disassembler's.
/// </summary>
internal sealed class AsmSyntaxFormatter : IInstructionFormatter
{
    public static AsmSyntaxFormatter Instance { get; } = new();

    public string Format(Instruction insn, Instruction? next, int pc)
    {
        if (!FormatterDecoding.TryDecode(insn, next, out var row, out var invalid))
        {
            return invalid;
        }

        var text = new StringBuilder(row.Form == InstructionForm.CallReg ? "call" : row.Mnemonic);
        if (row.Qualifier.Length > 0 && row.Form != InstructionForm.LoadImm64)
        {
            text.Append(' ').Append(row.Qualifier);
        }

        var layout = OperandLayout.For(row.Form);
        var first = true;
        foreach (var kind in layout)
        {
            if (kind == OperandKind.OptionalOffset && insn.Offset == 0)
            {
                continue;
            }

            text.Append(first ? " " : ", ");
            first = false;
            AppendOperand(text, kind, row, insn, next);
        }

        return text.ToString();
    }

    private static void AppendOperand(StringBuilder text, OperandKind kind, OpcodeInfo row, Instruction insn, Instruction? next)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (kind)
        {
            case OperandKind.DstRegister:
                text.Append("%r").Append(insn.Dst);
                break;
            case OperandKind.SrcRegister:
                text.Append("%r").Append(insn.Src);
                break;
            case OperandKind.Immediate:
                text.Append(insn.Immediate.ToString(inv));
                break;
            case OperandKind.Immediate64:
                if (row.Qualifier.Length > 0)
                {
                    text.Append(row.Qualifier).Append(' ');
                }

                text.Append("0x").Append(FormatterDecoding.Wide(insn, next!.Value).ToString("x", inv));
                break;
            case OperandKind.DstMemory:
                AppendMemory(text, insn.Dst, insn.Offset);
                break;
            case OperandKind.SrcMemory:
                AppendMemory(text, insn.Src, insn.Offset);
                break;
            case OperandKind.OffsetTarget:
                AppendSigned(text, insn.Offset);
                break;
            case OperandKind.ImmediateTarget:
                AppendSigned(text, insn.Immediate);
                break;
            case OperandKind.OptionalOffset:
                text.Append(insn.Offset.ToString(inv));
                break;
        }
    }

    private static void AppendMemory(StringBuilder text, byte register, short offset)
    {
        text.Append("[%r").Append(register);
        if (offset != 0)
        {
            AppendSigned(text, offset);
        }

        text.Append(']');
    }

    private static void AppendSigned(StringBuilder text, long value) =>
        text.Append(value < 0 ? "-" : "+").Append(Math.Abs(value).ToString(CultureInfo.InvariantCulture));
}

using SharpBpf.Isa;

namespace SharpBpf.Asm;

/// <summary>
/// One instruction after operand parsing, before labels are resolved: the table row, the field values, and the
/// jump target still to be turned into a slot delta.
/// </summary>
internal sealed class ParsedStatement(AsmLine line, int pc, OpcodeInfo row)
{
    public AsmLine Line { get; } = line;
    public int Pc { get; } = pc;
    public OpcodeInfo Row { get; } = row;
    public byte Dst { get; set; } = FixedOrZero(row.Dst);
    public byte Src { get; set; } = FixedOrZero(row.Src);
    public short Offset { get; set; } = (short)FixedOrZero16(row.Offset);
    public int Immediate { get; set; } = row.Immediate.IsOperand ? 0 : row.Immediate.FixedValue;
    public int UpperImmediate { get; set; }

    /// <summary>The target operand (label or ±N), if the form has one.</summary>
    public AsmToken? Target { get; set; }
    public OperandKind TargetKind { get; set; }

    public int SlotCount => Row.IsWide ? 2 : 1;

    public Instruction First => new(Row.Opcode, Dst, Src, Offset, Immediate);
    public Instruction Second => new(0, 0, 0, 0, UpperImmediate);

    private static byte FixedOrZero(FieldRule rule) => rule.IsOperand ? (byte)0 : (byte)rule.FixedValue;
    private static int FixedOrZero16(FieldRule rule) => rule.IsOperand ? 0 : rule.FixedValue;
}

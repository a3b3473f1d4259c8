using SharpBpf.Isa;

namespace SharpBpf.Tests.Asm;

/// <summary>Builds instructions of one opcode-table row: operand fields take the given values, fixed fields the row's.</summary>
internal static class RowSamples
{
    public static Instruction[] Build(OpcodeInfo row, byte dst, byte src, short offset, int immediate, int upper)
    {
        var first = new Instruction(
            row.Opcode,
            Pick(row.Dst, dst),
            Pick(row.Src, src),
            (short)(row.Offset.IsOperand ? offset : row.Offset.FixedValue),
            row.Immediate.IsOperand ? immediate : row.Immediate.FixedValue);
        return row.IsWide ? [first, new Instruction(0, 0, 0, 0, upper)] : [first];
    }

    /// <summary>Four variants per row, walking the extremes of every operand field together.</summary>
    public static IEnumerable<Instruction[]> Extremes(OpcodeInfo row)
    {
        byte[] registers = [0, 10, 5, 1];
        short[] offsets = [short.MinValue, short.MaxValue, 0, -1];
        int[] immediates = [int.MinValue, int.MaxValue, 0, -1];
        int[] uppers = [0, -1, int.MinValue, 0x11223344];
        for (var k = 0; k < 4; k++)
        {
            yield return Build(row, registers[k], registers[(k + 1) % 4], offsets[k], immediates[k], uppers[k]);
        }

        if (row.IsWide)
        {
            yield return Build(row, 1, 0, 0, 0, 0);
            yield return Build(row, 1, 0, 0, -1, -1);
        }
    }

    private static byte Pick(FieldRule rule, byte value) => rule.IsOperand ? value : (byte)rule.FixedValue;
}

using CsCheck;
using SharpBpf.Asm;
using SharpBpf.Isa;

namespace SharpBpf.Tests.Asm;

/// <summary>encode → decode → format (conformance syntax) → assemble gives the same bytes, for every table row.</summary>
public class RoundTripTests
{
    public static TheoryData<int, string> Rows()
    {
        var data = new TheoryData<int, string>();
        for (var i = 0; i < OpcodeTable.All.Count; i++)
        {
            var row = OpcodeTable.All[i];
            data.Add(i, $"{row.FullMnemonic} 0x{row.Opcode:x2} {row.Form}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void EveryRowRoundTripsAtItsExtremes(int rowIndex, string description)
    {
        var row = OpcodeTable.All[rowIndex];
        foreach (var slots in RowSamples.Extremes(row))
        {
            AssertRoundTrip(slots, description);
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void EveryRowHasTextInBothSyntaxes(int rowIndex, string description)
    {
        var row = OpcodeTable.All[rowIndex];
        var slots = RowSamples.Build(row, 1, 2, -8, 7, 0);
        Instruction? next = slots.Length > 1 ? slots[1] : null;

        var asm = AsmSyntaxFormatter.Instance.Format(slots[0], next, 0);
        var llvm = LlvmSyntaxFormatter.Instance.Format(slots[0], next, 0);

        var written = row.Form == InstructionForm.CallReg ? "call" : row.Mnemonic;
        Assert.StartsWith(written, asm, StringComparison.Ordinal);
        Assert.DoesNotContain("<invalid", llvm, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(llvm), description);
    }

    [Fact]
    public void RandomValidInstructionsRoundTrip()
    {
        var rows = OpcodeTable.All;
        var generator =
            from rowIndex in Gen.Int[0, rows.Count - 1]
            from dst in Gen.Byte[0, 10]
            from src in Gen.Byte[0, 10]
            from offset in Gen.Short
            from immediate in Gen.Int
            from upper in Gen.Int
            select RowSamples.Build(rows[rowIndex], dst, src, offset, immediate, upper);

        generator.Sample(slots => AssertRoundTrip(slots, slots[0].ToString()), iter: 5000);
    }

    private static void AssertRoundTrip(Instruction[] slots, string description)
    {
        var bytes = Instruction.Encode(slots);
        var decoded = Instruction.Decode(bytes);
        Assert.True(OpcodeTable.TryDecode(decoded[0], out _), $"{description}: {OpcodeTable.Explain(decoded[0])}");

        var text = AsmSyntaxFormatter.Instance.Format(decoded[0], decoded.Length > 1 ? decoded[1] : null, 0);
        var reassembled = Assembler.Assemble(text);

        Assert.True(bytes.AsSpan().SequenceEqual(Instruction.Encode(reassembled)), $"{description}: '{text}'");
    }
}

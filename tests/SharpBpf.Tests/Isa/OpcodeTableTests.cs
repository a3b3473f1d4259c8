using SharpBpf.Isa;

namespace SharpBpf.Tests.Isa;

public class OpcodeTableTests
{
    public static TheoryData<string> Rows()
    {
        var data = new TheoryData<string>();
        foreach (var row in OpcodeTable.All)
        {
            data.Add(RowKey(row));
        }

        return data;
    }

    internal static string RowKey(OpcodeInfo row) =>
        $"{row.FullMnemonic} 0x{row.Opcode:x2} off={row.Offset} imm={row.Immediate} src={row.Src}";

    /// <summary>A valid instance of a row: operands set to non-trivial values, fixed fields as the row demands.</summary>
    internal static Instruction Sample(OpcodeInfo row) => new(
        row.Opcode,
        (byte)(row.Dst.IsOperand ? 3 : row.Dst.FixedValue),
        (byte)(row.Src.IsOperand ? 7 : row.Src.FixedValue),
        (short)(row.Offset.IsOperand ? -2 : row.Offset.FixedValue),
        row.Immediate.IsOperand ? 5 : row.Immediate.FixedValue);

    [Theory]
    [MemberData(nameof(Rows))]
    public void Every_row_decodes_to_itself(string key)
    {
        var row = OpcodeTable.All.Single(r => RowKey(r) == key);
        Assert.True(OpcodeTable.TryDecode(Sample(row), out var decoded));
        Assert.Same(row, decoded);
        Assert.Null(OpcodeTable.Explain(Sample(row)));
    }

    [Fact]
    public void Rows_are_unambiguous()
    {
        foreach (var row in OpcodeTable.All)
        {
            var matches = OpcodeTable.ForOpcode(row.Opcode).ToArray().Count(r => r.Matches(Sample(row)));
            Assert.True(matches == 1, $"{RowKey(row)} matches {matches} rows");
        }
    }

    [Fact]
    public void Table_covers_the_whole_isa()
    {
        // RFC 9669: 12 binary ALU ops x {imm, reg} x {32, 64} + neg x2 + sdiv/smod (8) + movsx (5) + 9 endian,
        // 7 lddw kinds, 6 legacy packet loads, 3 ldxs, 12 ldx/st/stx, 20 atomics,
        // ja + ja32 + 11 conditions x {imm, reg} x {jmp, jmp32}, 3 call kinds, callx, exit; and the kernel's may_goto.
        var expected = (12 * 2 * 2) + 2 + 8 + 5 + 9 + 7 + 6 + 3 + 12 + 20 + 2 + 44 + 3 + 1 + 1 + 1;
        Assert.Equal(expected, OpcodeTable.All.Count);
        Assert.Equal(8, OpcodeTable.All.Count(r => r.Mnemonic is "sdiv" or "smod" or "sdiv32" or "smod32"));
    }

    [Theory]
    [InlineData(0x07, 1, 2, 0, 1, "reserved src field")] // add64 imm with a source register
    [InlineData(0x0f, 1, 2, 0, 7, "immediate must be")] // add64 reg with an immediate
    [InlineData(0x95, 0, 0, 0, 1, "immediate must be")] // exit with imm
    [InlineData(0x05, 0, 0, 1, 1, "immediate must be")] // ja with imm
    [InlineData(0x85, 1, 0, 0, 1, "reserved dst field")] // call with dst
    [InlineData(0x85, 0, 3, 0, 1, "unknown src kind 3")] // call src 3
    [InlineData(0x3f, 1, 2, 2, 0, "offset must be 0 or 1")] // div with offset 2
    [InlineData(0xdb, 10, 1, -8, 0x02, "immediate must be")] // unknown atomic op
    [InlineData(0xd4, 1, 0, 0, 8, "immediate must be 0x10, 0x20, 0x40")] // le8
    [InlineData(0xb7, 11, 0, 0, 0, "invalid dst register r11")]
    [InlineData(0x00, 0, 0, 0, 0, "unknown opcode 0x00")]
    [InlineData(0x8c, 1, 0, 0, 0, "unknown opcode 0x8c")] // neg32 with the register bit
    public void Invalid_instructions_are_explained(int opcode, int dst, int src, int offset, int imm, string expected)
    {
        var insn = new Instruction((byte)opcode, (byte)dst, (byte)src, (short)offset, imm);
        Assert.False(OpcodeTable.TryDecode(insn, out _));
        Assert.Contains(expected, OpcodeTable.Explain(insn), StringComparison.Ordinal);
    }

    [Fact]
    public void Widths_and_classes_come_from_the_opcode()
    {
        var ldxh = OpcodeTable.ByMnemonic["ldxh"].Single();
        Assert.Equal(2, ldxh.AccessBytes);
        Assert.Equal(InstructionClass.Ldx, ldxh.Class);
        Assert.True(OpcodeTable.ByMnemonic["lock fetch add32"].Single().Is32Bit);
        Assert.False(OpcodeTable.ByMnemonic["lock xchg"].Single().Is32Bit);
        Assert.Equal(2, OpcodeTable.ByMnemonic["add32"].Length);
        Assert.True(OpcodeTable.ByMnemonic["lddw"].Single().IsWide);
        Assert.Equal(4, OpcodeTable.ByMnemonic["ja32"].Single().CpuVersion);
    }
}

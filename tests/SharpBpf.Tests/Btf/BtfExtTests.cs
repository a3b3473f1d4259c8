using System.Buffers.Binary;
using SharpBpf.Btf;

namespace SharpBpf.Tests.Btf;

public class BtfExtTests
{
    private static readonly BtfSpec Btf = BtfSpec.Parse(BtfTestData.Bytes("types.btf"));
    private static readonly BtfExtSpec Ext = BtfExtSpec.Parse(BtfTestData.Bytes("types.btf.ext"), Btf);

    [Fact]
    public void FunctionInfoPerSection()
    {
        Assert.Equal([".text", "xdp"], Ext.FunctionInfo.Select(s => s.SectionName));
        var text = Ext.FunctionInfoFor(".text");
        Assert.Equal(["sum_into", "timer_cb"], text.Select(f => Btf[f.TypeId].Name));
        Assert.Equal(0, text[0].InstructionIndex);
        Assert.Equal(5, text[1].InstructionIndex);
        var xdp = Assert.Single(Ext.FunctionInfoFor("xdp"));
        Assert.Equal("prog", Btf[xdp.TypeId].Name);
        Assert.Empty(Ext.FunctionInfoFor("nope"));
    }

    [Fact]
    public void LineInfoCarriesFileLineTextAndColumn()
    {
        var lines = Ext.LineInfoFor("xdp");
        Assert.All(lines, l => Assert.Equal("./types.c", l.FileName)); // build.sh maps the build directory to "."
        Assert.Equal("int prog(struct xdp_md *ctx)", lines[0].LineText);
        Assert.Equal(0, lines[0].InstructionIndex);
        var sourceLines = BtfTestData.Text("types.c").Split('\n');
        foreach (var line in lines.Concat(Ext.LineInfoFor(".text")))
            Assert.Equal(sourceLines[line.LineNumber - 1], line.LineText);
        var lookup = lines.Single(l => l.LineText.Contains("bpf_map_lookup_elem(&flows"));
        Assert.Equal(29u, lookup.Column);
        Assert.Equal(lines.OrderBy(l => l.InstructionOffset).ToArray(), lines.ToArray());
    }

    [Fact]
    public void CoreRelocationsAreGroupedAndDecoded()
    {
        var relocations = Ext.CoreRelocationsFor("xdp");
        Assert.Equal(19, relocations.Length);
        Assert.Equal(Enum.GetValues<BtfCoreRelocationKind>().ToHashSet(), relocations.Select(r => r.Kind).ToHashSet());
        var first = relocations[0];
        Assert.Equal((BtfCoreRelocationKind.FieldByteOffset, "struct task_like", "0:1"), (first.Kind, Btf.TypeName(first.TypeId), first.AccessString));
    }

    /// <summary>
    /// Clang writes the values for its own BTF into the instructions; resolving against the same BTF must give
    /// the same numbers wherever libbpf would validate them.
    /// </summary>
    [Fact]
    public void ResolvedValuesMatchWhatClangEmitted()
    {
        var code = ElfSections.Get(BtfTestData.Bytes("types.o"), "xdp");
        int validated = 0;
        foreach (var relocation in Ext.CoreRelocationsFor("xdp"))
        {
            var result = BtfCoreResolver.Resolve(Btf, relocation);
            var insn = code.AsSpan(relocation.InstructionIndex * 8);
            ulong emitted = insn[0] == 0x18
                ? (uint)BinaryPrimitives.ReadInt32LittleEndian(insn[4..]) | (ulong)(uint)BinaryPrimitives.ReadInt32LittleEndian(insn[12..]) << 32
                : (ulong)(long)BinaryPrimitives.ReadInt32LittleEndian(insn[4..]);
            if (insn[0] != 0x18 && (insn[0] & 7) is 1 or 2 or 3)
                emitted = (ulong)(long)BinaryPrimitives.ReadInt16LittleEndian(insn[2..]);
            if (!result.Validate)
                continue;
            Assert.True(emitted == result.Value, $"{relocation.Kind} {relocation.AccessString}: clang {emitted}, resolver {result.Value}");
            validated++;
        }
        Assert.Equal(16, validated); // all but the bitfield offset, size and left shift of fl.delta
    }

    [Theory]
    [InlineData(BtfCoreRelocationKind.FieldByteOffset, "0:1", 4UL)]
    [InlineData(BtfCoreRelocationKind.FieldByteOffset, "0:2:1:1", 12UL)]   // anonymous union -> parts.hi
    [InlineData(BtfCoreRelocationKind.FieldByteSize, "0:2:1:1", 4UL)]
    [InlineData(BtfCoreRelocationKind.FieldByteOffset, "0:4:2", 32UL)]     // arr[2]
    [InlineData(BtfCoreRelocationKind.FieldByteSize, "0:4", 16UL)]
    [InlineData(BtfCoreRelocationKind.FieldByteOffset, "1:0", 40UL)]       // the second task_like
    [InlineData(BtfCoreRelocationKind.FieldByteOffset, "0:3:2", 16UL)]     // fl.delta, bits 132..136
    [InlineData(BtfCoreRelocationKind.FieldByteSize, "0:3:2", 4UL)]
    [InlineData(BtfCoreRelocationKind.FieldLShiftU64, "0:3:2", 55UL)]
    [InlineData(BtfCoreRelocationKind.FieldRShiftU64, "0:3:2", 59UL)]
    [InlineData(BtfCoreRelocationKind.FieldSigned, "0:3:2", 1UL)]
    [InlineData(BtfCoreRelocationKind.FieldSigned, "0:3:0", 0UL)]
    [InlineData(BtfCoreRelocationKind.FieldByteSize, "0:3:3", 8UL)]        // wide:40 at bit 137 needs 8 bytes
    [InlineData(BtfCoreRelocationKind.FieldExists, "0:0", 1UL)]
    [InlineData(BtfCoreRelocationKind.TypeSize, "0", 40UL)]
    [InlineData(BtfCoreRelocationKind.TypeExists, "0", 1UL)]
    public void FieldAndTypeRelocations(object kind, string access, ulong expected)
    {
        Assert.True(Btf.TryGetByName("task_like", BtfKind.Struct, out var task));
        Assert.Equal(expected, BtfCoreResolver.Resolve(Btf, new BtfCoreRelocation(0, task.Id, access, (BtfCoreRelocationKind)kind, 0)).Value);
    }

    [Fact]
    public void EnumValuesWidenLikeLibbpf()
    {
        Assert.True(Btf.TryGetByName("level", BtfKind.Enum, out var level));
        Assert.Equal(unchecked((ulong)-2L), BtfCoreResolver.Resolve(Btf, new(0, level.Id, "0", BtfCoreRelocationKind.EnumValue, 0)).Value);
        Assert.Equal(3UL, BtfCoreResolver.Resolve(Btf, new(0, level.Id, "2", BtfCoreRelocationKind.EnumValue, 0)).Value);
        Assert.Equal(1UL, BtfCoreResolver.Resolve(Btf, new(0, level.Id, "1", BtfCoreRelocationKind.EnumValueExists, 0)).Value);
    }

    [Theory]
    [InlineData(BtfCoreRelocationKind.FieldByteOffset, "0:9")]
    [InlineData(BtfCoreRelocationKind.FieldByteOffset, "0:4:4")]
    [InlineData(BtfCoreRelocationKind.FieldByteOffset, "0:0:1")]
    [InlineData(BtfCoreRelocationKind.FieldByteOffset, "0::1")]
    [InlineData(BtfCoreRelocationKind.FieldByteOffset, "x")]
    [InlineData(BtfCoreRelocationKind.FieldSigned, "0:4:1")]
    [InlineData(BtfCoreRelocationKind.TypeSize, "0:1")]
    [InlineData(BtfCoreRelocationKind.EnumValue, "0")]
    public void BadRelocationsAreLoadErrorsAtTheRecord(object kind, string access)
    {
        Assert.True(Btf.TryGetByName("task_like", BtfKind.Struct, out var task));
        var error = Assert.Throws<ObjectLoadException>(() => BtfCoreResolver.Resolve(Btf, new(8, task.Id, access, (BtfCoreRelocationKind)kind, 0x44)));
        Assert.Equal(".BTF.ext", error.SectionName);
        Assert.Equal(0x44, error.Offset);
    }

    [Fact]
    public void TimersObjectHasNoCoreRelocations()
    {
        var btf = BtfSpec.Parse(BtfTestData.Bytes("timers.btf"));
        var ext = BtfExtSpec.Parse(BtfTestData.Bytes("timers.btf.ext"), btf);
        Assert.Empty(ext.CoreRelocations);
        Assert.Equal("prog", btf[Assert.Single(ext.FunctionInfoFor("xdp")).TypeId].Name);
    }
}

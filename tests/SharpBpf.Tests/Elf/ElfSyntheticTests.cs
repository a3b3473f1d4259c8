using System.Buffers.Binary;
using SharpBpf.Elf;

namespace SharpBpf.Tests.Elf;

/// <summary>Shapes clang does not emit for BPF: SHT_RELA with addends, NOBITS sizes, extended section numbering.</summary>
public sealed class ElfSyntheticTests
{
    // .text(1) .rela.text(2) .symtab(3) .strtab(4) .bss(5) .shstrtab(6)
    private static byte[] BuildObject(ulong relocationOffset = 8, uint symbolIndex = 1)
    {
        var elf = new SyntheticElf();
        var strtab = "\0func\0abs_value\0missing\0"u8.ToArray();
        var symbols = SyntheticElf.Symbol(0, 0, 0, 0, 0)
            .Concat(SyntheticElf.Symbol(1, 0x12, 1, 0, 16))          // GLOBAL FUNC in .text
            .Concat(SyntheticElf.Symbol(6, 0x11, 0xfff1, 0x1234, 0)) // GLOBAL OBJECT, SHN_ABS
            .Concat(SyntheticElf.Symbol(16, 0x10, 0, 0, 0))          // GLOBAL NOTYPE, undefined
            .ToArray();
        elf.Add(new(".text", 1, new byte[16], Flags: 0x6, Alignment: 8));
        elf.Add(new(".rela.text", 4, SyntheticElf.Rela(relocationOffset, symbolIndex, 10, -8).Concat(SyntheticElf.Rela(0, 3, 1, 0x10)).ToArray(),
            Link: 3, Info: 1, EntrySize: 24, Alignment: 8));
        elf.Add(new(".symtab", 2, symbols, Link: 4, Info: 1, EntrySize: 24, Alignment: 8));
        elf.Add(new(".strtab", 3, strtab));
        elf.Add(new(".bss", 8, new byte[64], Flags: 0x3, Alignment: 8));
        return elf.Build();
    }

    [Fact]
    public void Rela_entries_carry_addends()
    {
        var elf = ElfFile.Read(BuildObject(), "synthetic.o");

        var rela = Assert.Single(elf.RelocationSections);
        Assert.True(rela.HasAddends);
        Assert.Equal(".text", rela.Target.Name);
        Assert.Equal(2, rela.Relocations.Count);
        Assert.Equal(new ElfRelocation(8, 1, 10, -8, elf.Symbols[1]), rela.Relocations[0]);
        Assert.Equal(BpfRelocationType.Bpf64_32, rela.Relocations[0].Type);
        Assert.Equal(BpfRelocationType.Bpf64_64, rela.Relocations[1].Type);
        Assert.Equal(0x10, rela.Relocations[1].Addend);
        Assert.Equal("missing", rela.Relocations[1].Symbol.Name);
        Assert.True(rela.Relocations[1].Symbol.IsUndefined);
    }

    [Fact]
    public void Absolute_symbol_and_nobits_section()
    {
        var elf = ElfFile.Read(BuildObject());

        var absolute = elf.Symbols[2];
        Assert.Equal("abs_value", absolute.Name);
        Assert.True(absolute.IsAbsolute);
        Assert.Equal(0x1234ul, absolute.Value);
        Assert.Equal(ElfSymbolType.Object, absolute.Type);
        Assert.Equal(ElfSymbolBinding.Global, absolute.Binding);

        var bss = elf.FindSection(".bss")!;
        Assert.True(bss.IsNoBits);
        Assert.Equal(64ul, bss.Size);
        Assert.True(bss.Data.IsEmpty);
        Assert.Equal(ElfSectionFlags.Write | ElfSectionFlags.Alloc, bss.Flags);
    }

    [Fact]
    public void Rela_offset_past_its_section()
    {
        var error = Assert.Throws<ObjectLoadException>(() => ElfFile.Read(BuildObject(relocationOffset: 9), "synthetic.o"));

        Assert.Equal(".rela.text", error.SectionName);
        Assert.Equal(0, error.Offset);
        Assert.Equal("func", error.SymbolName);
        Assert.Contains("relocation at 0x9 (R_BPF_64_32, 8 bytes) runs past the end of section '.text' (0x10 bytes)", error.Reason);
    }

    [Fact]
    public void Relocation_against_a_nobits_section_is_rejected()
    {
        var bytes = BuildObject();
        var shoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(40));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(shoff + 2 * 64 + 44), 5);   // .rela.text -> .bss

        var error = Assert.Throws<ObjectLoadException>(() => ElfFile.Read(bytes, "synthetic.o"));

        Assert.Equal(".rela.text", error.SectionName);
        Assert.Equal(shoff + 2 * 64, error.Offset);
        Assert.Contains("'.bss', which has no data", error.Reason);
    }

    [Fact]
    public void Extended_section_count_and_name_index_are_resolved()
    {
        var bytes = BuildObject();
        var shoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(40));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(60), 0);        // e_shnum = 0: count in section 0's sh_size
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(62), 0xffff);   // SHN_XINDEX: index in section 0's sh_link
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(shoff + 32), 7);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(shoff + 40), 6);

        var elf = ElfFile.Read(bytes);

        Assert.Equal(7, elf.Header.SectionCount);
        Assert.Equal(6, elf.Header.SectionNameTableIndex);
        Assert.Equal(".shstrtab", elf.Sections[6].Name);
    }

    [Fact]
    public void Symbol_with_extended_index_but_no_index_table()
    {
        var bytes = BuildObject();
        var elf = ElfFile.Read(bytes);
        var symtab = elf.SymbolTableSection!;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((int)symtab.Offset + 24 + 6), 0xffff);

        var error = Assert.Throws<ObjectLoadException>(() => ElfFile.Read(bytes, "x.o"));

        Assert.Equal(".symtab", error.SectionName);
        Assert.Equal(24 + 6, error.Offset);
        Assert.Equal("func", error.SymbolName);
        Assert.Contains("SHN_XINDEX", error.Reason);
    }
}

using System.Buffers.Binary;
using SharpBpf.Elf;

namespace SharpBpf.Tests.Elf;

/// <summary>
/// A corpus of broken objects, each made by damaging one field of a real clang-built object. Every one must
/// give an <see cref="ObjectLoadException"/> that names the file and says where (section and offset).
/// </summary>
public sealed class ElfMalformedTests
{
    private const string FileName = "bad.o";
    private static readonly byte[] Original = File.ReadAllBytes(ElfTestFiles.PathOf("subprograms.o"));
    private static readonly ElfFile Parsed = ElfFile.Read(Original, "subprograms.o");

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(20)]
    [InlineData(63)]
    public void Truncated_inside_the_file_header(int length)
    {
        var error = Load(Original.AsSpan(0, length).ToArray());

        Assert.Null(error.SectionName);
        Assert.Equal(length, error.Offset);
        Assert.Contains("truncated ELF header", error.Reason);
    }

    [Fact]
    public void Truncated_inside_the_section_header_table()
    {
        var shoff = (long)Parsed.Header.SectionHeaderOffset;
        var error = Load(Original.AsSpan(0, (int)shoff + 100).ToArray());

        Assert.Null(error.SectionName);
        Assert.Equal(shoff, error.Offset);
        Assert.Contains("runs past the end of the file", error.Reason);
    }

    [Fact]
    public void Truncated_before_the_section_header_table()
    {
        var error = Load(Original.AsSpan(0, 4000).ToArray());

        Assert.Null(error.SectionName);
        Assert.Equal(40, error.Offset);   // e_shoff
        Assert.Contains("starts past the end of the file", error.Reason);
    }

    [Theory]
    [InlineData(0xfffffffffffffff0ul)]
    [InlineData(0x7fffffffffffffc0ul)]
    public void Section_header_offset_corrupted(ulong shoff)
    {
        var error = Load(Patch(bytes => BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(40), shoff)));

        Assert.Null(error.SectionName);
        Assert.Equal(40, error.Offset);
    }

    [Fact]
    public void Section_header_table_too_long_for_the_file()
    {
        var shoff = (long)Parsed.Header.SectionHeaderOffset;
        var error = Load(Patch(bytes => BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(60), 200)));

        Assert.Equal(shoff, error.Offset);
        Assert.Contains("200 entries", error.Reason);
    }

    [Theory]
    [InlineData(0x100000ul, 0)]                    // size past the end
    [InlineData(0x10ul, 0xfffffffffffffff8ul)]     // offset + size overflows
    public void Section_data_beyond_the_end_of_the_file(ulong size, ulong offset)
    {
        var btf = Parsed.FindSection(".BTF")!;
        var error = Load(Patch(bytes =>
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(HeaderOffset(btf) + 32), size);
            if (offset != 0)
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(HeaderOffset(btf) + 24), offset);
        }));

        Assert.Equal(".BTF", error.SectionName);
        Assert.Equal(HeaderOffset(btf), error.Offset);
        Assert.StartsWith("section header: data at file offset", error.Reason);
    }

    [Fact]
    public void Section_name_table_index_out_of_range()
    {
        var error = Load(Patch(bytes => BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(62), 200)));

        Assert.Null(error.SectionName);
        Assert.Equal(62, error.Offset);
        Assert.Contains("e_shstrndx 200", error.Reason);
    }

    [Fact]
    public void Section_name_table_is_not_a_string_table()
    {
        var text = Parsed.FindSection(".text")!;
        var error = Load(Patch(bytes => BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(62), (ushort)text.Index)));

        Assert.Equal($"[{text.Index}]", error.SectionName);
        Assert.Equal(HeaderOffset(text), error.Offset);
        Assert.Contains("not STRTAB", error.Reason);
    }

    [Fact]
    public void Section_name_offset_out_of_range()
    {
        var xdp = Parsed.FindSection("xdp")!;
        var error = Load(Patch(bytes => BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(HeaderOffset(xdp)), 0xffffff)));

        Assert.Equal($"[{xdp.Index}]", error.SectionName);
        Assert.Equal(HeaderOffset(xdp), error.Offset);
        Assert.Contains("outside the string table", error.Reason);
    }

    [Fact]
    public void Symbol_name_offset_out_of_range()
    {
        var symtab = Parsed.SymbolTableSection!;
        var symbol = Parsed.Symbols.First(s => s.Name == "program_b");
        var error = Load(Patch(bytes =>
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(DataOffset(symtab) + symbol.Index * 24), 0x7fffffff)));

        Assert.Equal(".symtab", error.SectionName);
        Assert.Equal(symbol.Index * 24, error.Offset);
        Assert.Contains("symbol name at 0x7fffffff is outside the string table '.strtab'", error.Reason);
    }

    [Fact]
    public void Symbol_name_without_terminating_nul()
    {
        var strtab = Parsed.Sections[(int)Parsed.SymbolTableSection!.Link];
        var error = Load(Patch(bytes => bytes[DataOffset(strtab) + (int)strtab.Size - 1] = (byte)'x'));

        Assert.Contains("without a terminating NUL", error.Reason);
        Assert.NotNull(error.SectionName);
        Assert.NotNull(error.Offset);
    }

    [Fact]
    public void Symbol_section_index_out_of_range()
    {
        var symtab = Parsed.SymbolTableSection!;
        var symbol = Parsed.Symbols.First(s => s.Name == "program_a");
        var error = Load(Patch(bytes =>
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(DataOffset(symtab) + symbol.Index * 24 + 6), 0x1234)));

        Assert.Equal(".symtab", error.SectionName);
        Assert.Equal(symbol.Index * 24 + 6, error.Offset);
        Assert.Equal("program_a", error.SymbolName);
        Assert.Contains("section index 4660", error.Reason);
    }

    [Fact]
    public void Symbol_table_with_wrong_entry_size()
    {
        var symtab = Parsed.SymbolTableSection!;
        var error = Load(Patch(bytes => BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(HeaderOffset(symtab) + 56), 16)));

        Assert.Equal(".symtab", error.SectionName);
        Assert.Equal(HeaderOffset(symtab), error.Offset);
    }

    [Theory]
    [InlineData(0xd8ul)]                  // the first byte after xdp's code
    [InlineData(0xd4ul)]                  // the call instruction would straddle the end
    [InlineData(0xfffffffffffffffcul)]    // offset + width overflows
    public void Relocation_offset_past_its_section(ulong offset)
    {
        var relocations = Parsed.RelocationsFor(Parsed.FindSection("xdp")!).Single();
        var error = Load(Patch(bytes =>
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(DataOffset(relocations.Section) + 16), offset)));

        Assert.Equal(".relxdp", error.SectionName);
        Assert.Equal(16, error.Offset);
        Assert.Contains($"relocation at 0x{offset:x} (R_BPF_64_32, 8 bytes) runs past the end of section 'xdp' (0xd8 bytes)", error.Reason);
    }

    [Fact]
    public void Relocation_against_a_symbol_that_does_not_exist()
    {
        var relocations = Parsed.RelocationsFor(Parsed.FindSection(".text")!).Single();
        var error = Load(Patch(bytes =>
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(DataOffset(relocations.Section) + 16 + 12), 999)));

        Assert.Equal(".rel.text", error.SectionName);
        Assert.Equal(16, error.Offset);
        Assert.Contains("symbol 999", error.Reason);
    }

    [Fact]
    public void Relocation_section_targets_a_missing_section()
    {
        var relocations = Parsed.RelocationsFor(Parsed.FindSection(".text")!).Single();
        var error = Load(Patch(bytes => BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(HeaderOffset(relocations.Section) + 44), 77)));

        Assert.Equal(".rel.text", error.SectionName);
        Assert.Equal(HeaderOffset(relocations.Section), error.Offset);
        Assert.Contains("sh_info 77", error.Reason);
    }

    [Fact]
    public void Relocation_section_not_linked_to_the_symbol_table()
    {
        var relocations = Parsed.RelocationsFor(Parsed.FindSection(".text")!).Single();
        var error = Load(Patch(bytes => BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(HeaderOffset(relocations.Section) + 40), 2)));

        Assert.Equal(".rel.text", error.SectionName);
        Assert.Contains("sh_link 2 is not the symbol table", error.Reason);
    }

    [Fact]
    public void Wrong_machine_names_the_machine_number()
    {
        var error = Load(Patch(bytes => BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(18), 62)));

        Assert.Null(error.SectionName);
        Assert.Equal(18, error.Offset);
        Assert.StartsWith("wrong machine 62 (EM_X86_64)", error.Reason);
    }

    [Fact]
    public void Big_endian_is_rejected_clearly()
    {
        var error = Load(Patch(bytes => bytes[5] = 2));

        Assert.Equal(5, error.Offset);
        Assert.StartsWith("big-endian ELF", error.Reason);
    }

    [Fact]
    public void Elf32_is_rejected_clearly()
    {
        var error = Load(Patch(bytes => bytes[4] = 1));

        Assert.Equal(4, error.Offset);
        Assert.StartsWith("32-bit ELF", error.Reason);
    }

    [Fact]
    public void Executable_is_not_a_relocatable_object()
    {
        var error = Load(Patch(bytes => BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(16), 2)));

        Assert.Equal(16, error.Offset);
        Assert.Contains("e_type is 2 (ET_EXEC)", error.Reason);
    }

    [Fact]
    public void Not_an_elf_file()
    {
        var error = Load("\x7fELG and more"u8.ToArray());

        Assert.Equal(0, error.Offset);
        Assert.Contains("bad magic", error.Reason);
    }

    [Fact]
    public void Message_reads_as_a_path_to_the_problem()
    {
        var error = Load(Patch(bytes => BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(18), 3)));

        Assert.Equal("bad.o: +0x12: wrong machine 3 (EM_386): BPF objects have e_machine 247 (EM_BPF)", error.Message);
        Assert.Equal(FileName, error.FileName);
    }

    [Theory]
    [InlineData("not_bpf.x86_64.obj", 18, "wrong machine 62 (EM_X86_64)")]
    [InlineData("not_bpf.i386.obj", 4, "32-bit ELF (ELFCLASS32) is not supported")]
    [InlineData("not_bpf.bpfeb.obj", 5, "big-endian ELF (ELFDATA2MSB) is not supported")]
    public void Real_objects_for_other_targets_are_rejected(string objectName, long offset, string reason)
    {
        var error = Assert.Throws<ObjectLoadException>(() => ElfFile.ReadFile(Path.Combine(ElfTestFiles.DataDirectory, objectName)));

        Assert.Equal(objectName, error.FileName);
        Assert.Null(error.SectionName);
        Assert.Equal(offset, error.Offset);
        Assert.StartsWith(reason, error.Reason);
    }

    private static ObjectLoadException Load(byte[] bytes)
    {
        var error = Assert.Throws<ObjectLoadException>(() => ElfFile.Read(bytes, FileName));
        Assert.Equal(FileName, error.FileName);
        return error;
    }

    private static byte[] Patch(Action<byte[]> damage)
    {
        var bytes = (byte[])Original.Clone();
        damage(bytes);
        return bytes;
    }

    private static int HeaderOffset(ElfSection section) => (int)Parsed.Header.SectionHeaderOffset + section.Index * 64;

    private static int DataOffset(ElfSection section) => (int)section.Offset;
}

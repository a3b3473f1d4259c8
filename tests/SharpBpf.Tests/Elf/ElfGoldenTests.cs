using System.Globalization;
using SharpBpf.Elf;

namespace SharpBpf.Tests.Elf;

/// <summary>Every committed object read by <see cref="ElfFile"/> matches llvm-readelf-19's view of it.</summary>
public sealed class ElfGoldenTests
{
    public static TheoryData<string> Objects() => ElfTestFiles.AllObjectNames();

    [Theory]
    [MemberData(nameof(Objects))]
    public void Sections_match_llvm_readelf(string objectName)
    {
        var (elf, golden) = Load(objectName);

        Assert.Equal(golden.Sections.Count, elf.Sections.Count);
        Assert.Equal(golden.Sections.Count, elf.Header.SectionCount);
        foreach (var expected in golden.Sections)
        {
            var actual = elf.Sections[expected.Index];
            var where = $"{objectName} [{expected.Index}] {expected.Name}";
            Assert.True(expected.Name == actual.Name, $"{where}: name {actual.Name}");
            Assert.True(expected.Type == ReadelfTypeName(actual.Type), $"{where}: type {actual.Type}");
            Assert.True(expected.Offset == actual.Offset, where);
            Assert.True(expected.Size == actual.Size, where);
            Assert.True(expected.EntrySize == actual.EntrySize, where);
            Assert.True(expected.Flags == ReadelfFlags(actual.Flags), $"{where}: flags {actual.Flags}");
            Assert.True(expected.Link == actual.Link, where);
            Assert.True(expected.Info == actual.Info, where);
            Assert.True(expected.Alignment == actual.Alignment, where);
            var expectedDataLength = actual.IsNoBits || actual.Type == ElfSectionType.Null ? 0 : (int)expected.Size;
            Assert.True(expectedDataLength == actual.Data.Length, $"{where}: data length {actual.Data.Length}");
        }
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void Section_data_is_a_slice_of_the_file(string objectName)
    {
        var bytes = File.ReadAllBytes(ElfTestFiles.PathOf(objectName));
        var elf = ElfFile.Read(bytes, objectName);

        foreach (var section in elf.Sections.Where(s => !s.Data.IsEmpty))
        {
            Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(section.Data, out var segment));
            Assert.Same(bytes, segment.Array);
            Assert.Equal((int)section.Offset, segment.Offset);
        }
        var bss = elf.Sections.Where(s => s.IsNoBits).ToList();
        Assert.All(bss, s => Assert.True(s.Data.IsEmpty));
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void Symbols_match_llvm_readelf(string objectName)
    {
        var (elf, golden) = Load(objectName);

        Assert.Equal(golden.Symbols.Count, elf.Symbols.Count);
        Assert.NotEmpty(elf.Symbols);
        foreach (var expected in golden.Symbols)
        {
            var actual = elf.Symbols[expected.Index];
            var where = $"{objectName} symbol {expected.Index} {expected.Name}";
            Assert.True(expected.Name == DisplayName(elf, actual), $"{where}: name '{actual.Name}'");
            Assert.True(expected.Value == actual.Value, where);
            Assert.True(expected.Size == actual.Size, where);
            Assert.True(expected.Type == actual.Type.ToString().ToUpperInvariant(), $"{where}: type {actual.Type}");
            Assert.True(expected.Binding == actual.Binding.ToString().ToUpperInvariant(), $"{where}: binding {actual.Binding}");
            Assert.True(expected.Visibility == actual.Visibility.ToString().ToUpperInvariant(), $"{where}: visibility {actual.Visibility}");
            Assert.True(expected.SectionIndex == ReadelfSectionIndex(actual), $"{where}: section {actual.SectionIndex}");
        }
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void Relocations_match_llvm_readelf(string objectName)
    {
        var (elf, golden) = Load(objectName);

        Assert.Equal(golden.Relocations.Keys.Order(StringComparer.Ordinal), elf.RelocationSections.Select(r => r.Section.Name).Order(StringComparer.Ordinal));
        foreach (var relocationSection in elf.RelocationSections)
        {
            var expected = golden.Relocations[relocationSection.Section.Name];
            Assert.Equal(golden.RelocationSectionOffsets[relocationSection.Section.Name], relocationSection.Section.Offset);
            Assert.Equal(relocationSection.Section.Info, (uint)relocationSection.Target.Index);
            Assert.False(relocationSection.HasAddends);
            Assert.Equal(expected.Count, relocationSection.Relocations.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                var actual = relocationSection.Relocations[i];
                var where = $"{objectName} {relocationSection.Section.Name} #{i}";
                Assert.True(expected[i].Offset == actual.Offset, where);
                Assert.True(expected[i].Info == (((ulong)(uint)actual.SymbolIndex << 32) | actual.RawType), where);
                Assert.True(expected[i].Type == ReadelfRelocationName(actual.Type), $"{where}: type {actual.Type}");
                Assert.True(expected[i].SymbolName == DisplayName(elf, actual.Symbol), $"{where}: symbol {actual.Symbol}");
                Assert.Same(elf.Symbols[actual.SymbolIndex], actual.Symbol);
                Assert.Equal(0, actual.Addend);
            }
        }
    }

    [Fact]
    public void Multi_object_has_undefined_common_and_absolute_symbols()
    {
        var elf = ElfFile.ReadFile(ElfTestFiles.PathOf("multi.o"));

        var external = elf.Symbols.Single(s => s.Name == "external_flag");
        Assert.True(external.IsUndefined);
        Assert.Equal(ElfSymbolBinding.Weak, external.Binding);
        Assert.Null(elf.SectionOf(external));

        var common = elf.Symbols.Single(s => s.Name == "common_value");
        Assert.True(common.IsCommon);
        Assert.Equal(4ul, common.Size);
        Assert.Null(elf.SectionOf(common));

        var file = elf.Symbols.Single(s => s.Type == ElfSymbolType.File);
        Assert.True(file.IsAbsolute);
        Assert.Equal("multi.c", file.Name);

        var second = elf.Symbols.Single(s => s.Name == "second");
        Assert.Equal("xdp", elf.SectionOf(second)!.Name);
        Assert.Equal(ElfSymbolType.Func, second.Type);
        Assert.Equal("multi.o", elf.FileName);
    }

    [Fact]
    public void Relocation_types_of_the_examples_are_named()
    {
        var tailCalls = ElfFile.ReadFile(ElfTestFiles.PathOf("tail_calls.o"));
        var maps = tailCalls.RelocationsFor(tailCalls.FindSection(".maps")!).Single();
        Assert.Equal([BpfRelocationType.Bpf64Abs64, BpfRelocationType.Bpf64Abs64], maps.Relocations.Select(r => r.Type));
        Assert.Equal(["handle_ipv4", "handle_ipv6"], maps.Relocations.Select(r => r.Symbol.Name));

        var subprograms = ElfFile.ReadFile(ElfTestFiles.PathOf("subprograms.o"));
        var xdp = subprograms.RelocationsFor(subprograms.FindSection("xdp")!).Single();
        Assert.All(xdp.Relocations, r => Assert.Equal(BpfRelocationType.Bpf64_32, r.Type));
        var btf = subprograms.RelocationsFor(subprograms.FindSection(".BTF")!).Single();
        Assert.All(btf.Relocations, r => Assert.Equal(BpfRelocationType.Bpf64NoDyld32, r.Type));
    }

    private static (ElfFile Elf, ReadelfGolden Golden) Load(string objectName)
    {
        var elf = ElfFile.Read(File.ReadAllBytes(ElfTestFiles.PathOf(objectName)), objectName);
        var golden = ReadelfGolden.Parse(File.ReadAllText(ElfTestFiles.GoldenPathOf(objectName)));
        Assert.NotEmpty(golden.Sections);
        return (elf, golden);
    }

    /// <summary>llvm-readelf names section symbols (which have no name of their own) after their section.</summary>
    private static string DisplayName(ElfFile elf, ElfSymbol symbol) =>
        symbol.Type == ElfSymbolType.Section && symbol.Name.Length == 0 && elf.SectionOf(symbol) is { } section ? section.Name : symbol.Name;

    private static string ReadelfSectionIndex(ElfSymbol symbol) => symbol.SectionIndex switch
    {
        ElfConstants.SectionIndexUndefined => "UND",
        ElfConstants.SectionIndexAbsolute => "ABS",
        ElfConstants.SectionIndexCommon => "COM",
        var index => index.ToString(CultureInfo.InvariantCulture),
    };

    private static string ReadelfTypeName(ElfSectionType type) => type switch
    {
        ElfSectionType.Null => "NULL",
        ElfSectionType.ProgBits => "PROGBITS",
        ElfSectionType.SymbolTable => "SYMTAB",
        ElfSectionType.StringTable => "STRTAB",
        ElfSectionType.RelocationsWithAddends => "RELA",
        ElfSectionType.NoBits => "NOBITS",
        ElfSectionType.Relocations => "REL",
        ElfSectionType.LlvmAddrsig => "LLVM_ADDRSIG",
        _ => type.ToString(),
    };

    private static string ReadelfRelocationName(BpfRelocationType type) => type switch
    {
        BpfRelocationType.None => "R_BPF_NONE",
        BpfRelocationType.Bpf64_64 => "R_BPF_64_64",
        BpfRelocationType.Bpf64Abs64 => "R_BPF_64_ABS64",
        BpfRelocationType.Bpf64Abs32 => "R_BPF_64_ABS32",
        BpfRelocationType.Bpf64NoDyld32 => "R_BPF_64_NODYLD32",
        BpfRelocationType.Bpf64_32 => "R_BPF_64_32",
        _ => type.ToString(),
    };

    /// <summary>llvm-readelf's flag letters, in its order.</summary>
    private static string ReadelfFlags(ElfSectionFlags flags)
    {
        var letters = "";
        if (flags.HasFlag(ElfSectionFlags.Write)) letters += "W";
        if (flags.HasFlag(ElfSectionFlags.Alloc)) letters += "A";
        if (flags.HasFlag(ElfSectionFlags.ExecInstr)) letters += "X";
        if (flags.HasFlag(ElfSectionFlags.Merge)) letters += "M";
        if (flags.HasFlag(ElfSectionFlags.Strings)) letters += "S";
        if (flags.HasFlag(ElfSectionFlags.InfoLink)) letters += "I";
        if (flags.HasFlag(ElfSectionFlags.LinkOrder)) letters += "L";
        if (flags.HasFlag(ElfSectionFlags.OsNonconforming)) letters += "O";
        if (flags.HasFlag(ElfSectionFlags.Group)) letters += "G";
        if (flags.HasFlag(ElfSectionFlags.Tls)) letters += "T";
        if (flags.HasFlag(ElfSectionFlags.Compressed)) letters += "C";
        if (flags.HasFlag(ElfSectionFlags.Exclude)) letters += "E";
        return letters;
    }
}

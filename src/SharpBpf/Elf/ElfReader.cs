using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SharpBpf.Elf;

/// <summary>
/// Parses and checks an ELF64 relocatable object in one pass over the header, the section headers, the symbol
/// table and the relocations. Every offset, size and index read from the file is checked before use with
/// arithmetic that cannot overflow (sizes are compared against what remains, never added blindly), so the
/// work done is bounded by the input's size and a corrupt file cannot make the reader loop or allocate much.
/// </summary>
internal sealed class ElfReader
{
    private readonly ReadOnlyMemory<byte> memory;
    private readonly string? fileName;
    private readonly ulong length;

    private ElfSection[] sections = [];
    private ElfSymbol[] symbols = [];

    public ElfReader(ReadOnlyMemory<byte> memory, string? fileName)
    {
        this.memory = memory;
        this.fileName = fileName;
        length = (ulong)memory.Length;
    }

    private ReadOnlySpan<byte> Bytes => memory.Span;

    public ElfFile Read()
    {
        var header = ReadHeader();
        sections = ReadSections(header);
        var symbolTable = FindSymbolTable();
        if (symbolTable is not null)
            symbols = ReadSymbols(symbolTable);
        var relocationSections = ReadRelocationSections(symbolTable);
        return new ElfFile(fileName, memory, header, sections, symbolTable, symbols, relocationSections);
    }

    // ---------------------------------------------------------------- file header

    private ElfHeader ReadHeader()
    {
        var bytes = Bytes;
        ReadOnlySpan<byte> magic = [0x7f, (byte)'E', (byte)'L', (byte)'F'];
        var magicLength = Math.Min(bytes.Length, magic.Length);
        if (!bytes[..magicLength].SequenceEqual(magic[..magicLength]))
            Fail("not an ELF file (bad magic number)", null, 0);
        if (bytes.Length < ElfConstants.HeaderSize)
            Fail($"truncated ELF header: the file has {bytes.Length} bytes, the header needs {ElfConstants.HeaderSize}", null, bytes.Length);

        switch (bytes[4])
        {
            case ElfConstants.ClassElf64: break;
            case ElfConstants.ClassElf32: Fail("32-bit ELF (ELFCLASS32) is not supported: BPF objects are ELF64", null, 4); break;
            default: Fail($"invalid ELF class {bytes[4]}", null, 4); break;
        }
        switch (bytes[5])
        {
            case ElfConstants.DataLittleEndian: break;
            case ElfConstants.DataBigEndian:
                Fail("big-endian ELF (ELFDATA2MSB) is not supported: compile with clang -target bpfel (or -target bpf on a little-endian host)", null, 5);
                break;
            default: Fail($"invalid ELF data encoding {bytes[5]}", null, 5); break;
        }
        if (bytes[6] != ElfConstants.CurrentVersion)
            Fail($"unsupported ELF identification version {bytes[6]}", null, 6);

        var type = U16(bytes, 16);
        if (type != ElfConstants.TypeRelocatable)
            Fail($"not a relocatable object: e_type is {type} ({TypeName(type)}), BPF objects are ET_REL (clang -c)", null, 16);
        var machine = U16(bytes, 18);
        if (machine != ElfConstants.MachineBpf)
            Fail($"wrong machine {machine} ({MachineName(machine)}): BPF objects have e_machine {ElfConstants.MachineBpf} (EM_BPF)", null, 18);
        var version = U32(bytes, 20);
        if (version != ElfConstants.CurrentVersion)
            Fail($"unsupported ELF version {version}", null, 20);

        var headerSize = U16(bytes, 52);
        if (headerSize < ElfConstants.HeaderSize)
            Fail($"e_ehsize {headerSize} is smaller than the ELF64 header ({ElfConstants.HeaderSize})", null, 52);

        var sectionHeaderOffset = U64(bytes, 40);
        var sectionHeaderEntrySize = U16(bytes, 58);
        int sectionCount = U16(bytes, 60);
        int nameTableIndex = U16(bytes, 62);

        if (sectionHeaderOffset == 0)
        {
            if (sectionCount != 0)
                Fail($"e_shnum is {sectionCount} but there is no section header table (e_shoff is 0)", null, 60);
            if (nameTableIndex != 0)
                Fail($"e_shstrndx is {nameTableIndex} but there is no section header table (e_shoff is 0)", null, 62);
        }
        else
        {
            if (sectionHeaderEntrySize != ElfConstants.SectionHeaderSize)
                Fail($"e_shentsize is {sectionHeaderEntrySize}, ELF64 section headers are {ElfConstants.SectionHeaderSize} bytes", null, 58);
            if (!Fits(sectionHeaderOffset, ElfConstants.SectionHeaderSize))
                Fail($"section header table at 0x{sectionHeaderOffset:x} starts past the end of the file (0x{length:x} bytes)", null, 40);

            // e_shnum = 0 and e_shstrndx = SHN_XINDEX move the real values into section 0 (gABI extended numbering).
            var first = (int)sectionHeaderOffset;
            if (sectionCount == 0)
            {
                var extendedCount = U64(bytes, first + 32);
                if (extendedCount == 0 || extendedCount > (length - sectionHeaderOffset) / ElfConstants.SectionHeaderSize)
                    Fail($"extended section count {extendedCount} (in section 0's sh_size) does not fit in the file", null, first + 32);
                sectionCount = (int)extendedCount;
            }
            if (nameTableIndex == ElfConstants.SectionIndexExtended)
                nameTableIndex = (int)Math.Min(U32(bytes, first + 40), int.MaxValue);

            if ((ulong)sectionCount > (length - sectionHeaderOffset) / ElfConstants.SectionHeaderSize)
                Fail($"section header table at 0x{sectionHeaderOffset:x} with {sectionCount} entries runs past the end of the file (0x{length:x} bytes)",
                    null, (long)sectionHeaderOffset);
            if (nameTableIndex == 0 || nameTableIndex >= sectionCount)
                Fail($"e_shstrndx {nameTableIndex} does not name a section (there are {sectionCount})", null, 62);
        }

        return new ElfHeader(bytes[7], bytes[8], type, machine, version, U64(bytes, 24), U64(bytes, 32),
            sectionHeaderOffset, U32(bytes, 48), headerSize, sectionHeaderEntrySize, sectionCount, nameTableIndex);
    }

    // ---------------------------------------------------------------- section headers

    private readonly record struct RawSection(uint Name, uint Type, ulong Flags, ulong Address, ulong Offset, ulong Size,
        uint Link, uint Info, ulong Alignment, ulong EntrySize, long HeaderOffset);

    private ElfSection[] ReadSections(ElfHeader header)
    {
        var bytes = Bytes;
        var raw = new RawSection[header.SectionCount];
        for (var i = 0; i < raw.Length; i++)
        {
            var at = (int)header.SectionHeaderOffset + i * ElfConstants.SectionHeaderSize;
            raw[i] = new RawSection(U32(bytes, at), U32(bytes, at + 4), U64(bytes, at + 8), U64(bytes, at + 16),
                U64(bytes, at + 24), U64(bytes, at + 32), U32(bytes, at + 40), U32(bytes, at + 44), U64(bytes, at + 48),
                U64(bytes, at + 56), at);
        }
        if (raw.Length == 0)
            return [];

        // The name table must be checked first: every other error names its section through it.
        var names = raw[header.SectionNameTableIndex];
        var namesLabel = $"[{header.SectionNameTableIndex}]";
        if (names.Type != (uint)ElfSectionType.StringTable)
            Fail($"section header: the section-name table (e_shstrndx {header.SectionNameTableIndex}) has type {TypeLabel(names.Type)}, not STRTAB",
                namesLabel, names.HeaderOffset);
        CheckDataBounds(names, namesLabel);
        var nameTable = memory.Slice((int)names.Offset, (int)names.Size);
        var nameTableName = ReadString(nameTable.Span, names.Name, namesLabel, names.HeaderOffset, "section-name table", "section header: name");

        var result = new ElfSection[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            var r = raw[i];
            var label = $"[{i}]";
            var name = i == header.SectionNameTableIndex
                ? nameTableName
                : ReadString(nameTable.Span, r.Name, label, r.HeaderOffset, nameTableName, "section header: name");
            var shown = name.Length > 0 ? name : label;

            var data = ReadOnlyMemory<byte>.Empty;
            if (r.Type != (uint)ElfSectionType.NoBits && r.Type != (uint)ElfSectionType.Null)
            {
                CheckDataBounds(r, shown);
                data = memory.Slice((int)r.Offset, (int)r.Size);
            }
            if (r.Alignment > 1 && (r.Alignment & (r.Alignment - 1)) != 0)
                Fail($"section header: alignment {r.Alignment} is not a power of two", shown, r.HeaderOffset);
            if (r.Link >= (uint)raw.Length && UsesLinkAsSection(r.Type))
                Fail($"section header: sh_link {r.Link} does not name a section (there are {raw.Length})", shown, r.HeaderOffset);

            result[i] = new ElfSection(i, name, r.Name, (ElfSectionType)r.Type, (ElfSectionFlags)r.Flags, r.Address,
                r.Offset, r.Size, r.Link, r.Info, r.Alignment, r.EntrySize, data);
        }
        return result;
    }

    private void CheckDataBounds(RawSection r, string label)
    {
        if (!Fits(r.Offset, r.Size))
            Fail($"section header: data at file offset 0x{r.Offset:x} with size 0x{r.Size:x} runs past the end of the file (0x{length:x} bytes)",
                label, r.HeaderOffset);
    }

    private static bool UsesLinkAsSection(uint type) => type is (uint)ElfSectionType.SymbolTable or
        (uint)ElfSectionType.DynamicSymbolTable or (uint)ElfSectionType.Relocations or
        (uint)ElfSectionType.RelocationsWithAddends or (uint)ElfSectionType.SymbolTableSectionIndices or
        (uint)ElfSectionType.Hash or (uint)ElfSectionType.Dynamic or (uint)ElfSectionType.Group;

    // ---------------------------------------------------------------- symbols

    private ElfSection? FindSymbolTable()
    {
        ElfSection? found = null;
        foreach (var section in sections)
        {
            if (section.Type != ElfSectionType.SymbolTable)
                continue;
            if (found is not null)
                FailIn(section, $"section header: a second symbol table (the first is '{found.Name}')", HeaderOffsetOf(section));
            found = section;
        }
        return found;
    }

    private ElfSymbol[] ReadSymbols(ElfSection table)
    {
        if (table.EntrySize != ElfConstants.SymbolSize)
            FailIn(table, $"section header: symbol entry size is {table.EntrySize}, ELF64 symbols are {ElfConstants.SymbolSize} bytes", HeaderOffsetOf(table));
        if (table.Size % ElfConstants.SymbolSize != 0)
            FailIn(table, $"section header: size 0x{table.Size:x} is not a multiple of the symbol size ({ElfConstants.SymbolSize})", HeaderOffsetOf(table));
        var strings = sections[table.Link];
        if (strings.Type != ElfSectionType.StringTable)
            FailIn(table, $"section header: sh_link {table.Link} names '{strings.Name}', which is not a string table", HeaderOffsetOf(table));

        var count = (int)(table.Size / ElfConstants.SymbolSize);
        var extendedIndices = FindExtendedIndexTable(table, count);
        var data = table.Data.Span;
        var stringData = strings.Data.Span;
        var result = new ElfSymbol[count];
        for (var i = 0; i < count; i++)
        {
            var at = i * ElfConstants.SymbolSize;
            var nameOffset = U32(data, at);
            var name = ReadString(stringData, nameOffset, Label(table), at, strings.Name, "symbol name");
            int sectionIndex = U16(data, at + 6);
            if (sectionIndex == ElfConstants.SectionIndexExtended)
            {
                if (extendedIndices.IsEmpty)
                    FailIn(table, "symbol uses an extended section index (SHN_XINDEX) but there is no SHT_SYMTAB_SHNDX table", at + 6, NullIfEmpty(name));
                sectionIndex = (int)Math.Min(U32(extendedIndices.Span, i * 4), int.MaxValue);
                if (sectionIndex >= sections.Length)
                    FailIn(table, $"symbol's extended section index {sectionIndex} does not name a section (there are {sections.Length})", at + 6, NullIfEmpty(name));
            }
            else if (sectionIndex != ElfConstants.SectionIndexUndefined && sectionIndex < ElfConstants.SectionIndexLowReserve &&
                     sectionIndex >= sections.Length)
            {
                FailIn(table, $"symbol's section index {sectionIndex} does not name a section (there are {sections.Length})", at + 6, NullIfEmpty(name));
            }
            result[i] = new ElfSymbol(i, name, nameOffset, U64(data, at + 8), U64(data, at + 16), data[at + 4], data[at + 5], sectionIndex);
        }
        return result;
    }

    private ReadOnlyMemory<byte> FindExtendedIndexTable(ElfSection table, int symbolCount)
    {
        foreach (var section in sections)
        {
            if (section.Type != ElfSectionType.SymbolTableSectionIndices || section.Link != (uint)table.Index)
                continue;
            if (section.Size / 4 < (ulong)symbolCount)
                FailIn(section, $"section header: {section.Size / 4} extended section indices for {symbolCount} symbols", HeaderOffsetOf(section));
            return section.Data;
        }
        return ReadOnlyMemory<byte>.Empty;
    }

    // ---------------------------------------------------------------- relocations

    private List<ElfRelocationSection> ReadRelocationSections(ElfSection? symbolTable)
    {
        var result = new List<ElfRelocationSection>();
        foreach (var section in sections)
        {
            var withAddends = section.Type == ElfSectionType.RelocationsWithAddends;
            if (section.Type != ElfSectionType.Relocations && !withAddends)
                continue;
            result.Add(ReadRelocations(section, withAddends, symbolTable));
        }
        return result;
    }

    private ElfRelocationSection ReadRelocations(ElfSection section, bool withAddends, ElfSection? symbolTable)
    {
        var headerOffset = HeaderOffsetOf(section);
        var entrySize = withAddends ? ElfConstants.RelaSize : ElfConstants.RelSize;
        if (section.EntrySize != (ulong)entrySize)
            FailIn(section, $"section header: relocation entry size is {section.EntrySize}, expected {entrySize}", headerOffset);
        if (section.Size % (ulong)entrySize != 0)
            FailIn(section, $"section header: size 0x{section.Size:x} is not a multiple of the relocation entry size ({entrySize})", headerOffset);
        if (symbolTable is null || section.Link != (uint)symbolTable.Index)
            FailIn(section, $"section header: sh_link {section.Link} is not the symbol table", headerOffset);
        if (section.Info == 0 || section.Info >= (uint)sections.Length)
            FailIn(section, $"section header: sh_info {section.Info} does not name a section to relocate (there are {sections.Length})", headerOffset);
        var target = sections[(int)section.Info];
        if (target.IsNoBits || target.Type == ElfSectionType.Null)
            FailIn(section, $"section header: relocates '{target.Name}', which has no data", headerOffset);

        var data = section.Data.Span;
        var count = (int)(section.Size / (ulong)entrySize);
        var relocations = new ElfRelocation[count];
        for (var i = 0; i < count; i++)
        {
            var at = i * entrySize;
            var offset = U64(data, at);
            var info = U64(data, at + 8);
            var symbolIndex = info >> 32;
            var type = (uint)info;
            var addend = withAddends ? (long)U64(data, at + 16) : 0;
            if (symbolIndex >= (ulong)symbols.Length)
                FailIn(section, $"relocation refers to symbol {symbolIndex}, but the symbol table has {symbols.Length}", at);
            var symbol = symbols[(int)symbolIndex];
            var width = PatchedWidth(type);
            if (!FitsIn(offset, width, target.Size))
                FailIn(section, $"relocation at 0x{offset:x} ({TypeLabel(type)}, {width} bytes) runs past the end of section '{target.Name}' (0x{target.Size:x} bytes)",
                    at, NullIfEmpty(symbol.Name));
            relocations[i] = new ElfRelocation(offset, (int)symbolIndex, type, addend, symbol);
        }
        return new ElfRelocationSection(section, target, relocations);
    }

    /// <summary>How many bytes at r_offset a relocation type rewrites; unknown types must at least point inside.</summary>
    private static ulong PatchedWidth(uint type) => (BpfRelocationType)type switch
    {
        BpfRelocationType.None => 0,
        BpfRelocationType.Bpf64_64 => 16,      // both halves of an lddw
        BpfRelocationType.Bpf64Abs64 => 8,
        BpfRelocationType.Bpf64Abs32 => 4,
        BpfRelocationType.Bpf64NoDyld32 => 4,
        BpfRelocationType.Bpf64_32 => 8,       // the whole call instruction
        _ => 1,
    };

    private static string TypeLabel(uint relocationType) => (BpfRelocationType)relocationType switch
    {
        BpfRelocationType.None => "R_BPF_NONE",
        BpfRelocationType.Bpf64_64 => "R_BPF_64_64",
        BpfRelocationType.Bpf64Abs64 => "R_BPF_64_ABS64",
        BpfRelocationType.Bpf64Abs32 => "R_BPF_64_ABS32",
        BpfRelocationType.Bpf64NoDyld32 => "R_BPF_64_NODYLD32",
        BpfRelocationType.Bpf64_32 => "R_BPF_64_32",
        _ => $"type {relocationType}",
    };

    // ---------------------------------------------------------------- primitives

    private string ReadString(ReadOnlySpan<byte> table, uint offset, string sectionLabel, long errorOffset, string tableName, string what,
        string? symbolName = null)
    {
        if (offset >= (uint)table.Length)
            Fail($"{what} at 0x{offset:x} is outside the string table '{tableName}' (0x{table.Length:x} bytes)", sectionLabel, errorOffset, symbolName);
        var rest = table[(int)offset..];
        var end = rest.IndexOf((byte)0);
        if (end < 0)
            Fail($"{what} at 0x{offset:x} runs past the end of the string table '{tableName}' without a terminating NUL", sectionLabel, errorOffset, symbolName);
        return end == 0 ? string.Empty : Encoding.UTF8.GetString(rest[..end]);
    }

    private long HeaderOffsetOf(ElfSection section) =>
        sections.Length == 0 ? 0 : (long)(U64(Bytes, 40) + (ulong)section.Index * ElfConstants.SectionHeaderSize);

    /// <summary>True when [offset, offset + size) lies inside the file, without overflowing.</summary>
    private bool Fits(ulong offset, ulong size) => FitsIn(offset, size, length);

    private static bool FitsIn(ulong offset, ulong size, ulong limit) => offset <= limit && size <= limit - offset;

    private static ushort U16(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]);
    private static uint U32(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt32LittleEndian(bytes[at..]);
    private static ulong U64(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt64LittleEndian(bytes[at..]);

    private static string TypeName(ushort type) => type switch
    {
        0 => "ET_NONE",
        2 => "ET_EXEC",
        3 => "ET_DYN",
        4 => "ET_CORE",
        _ => "unknown",
    };

    private static string MachineName(ushort machine) => machine switch
    {
        0 => "EM_NONE",
        3 => "EM_386",
        40 => "EM_ARM",
        62 => "EM_X86_64",
        183 => "EM_AARCH64",
        243 => "EM_RISCV",
        _ => "not BPF",
    };

    [DoesNotReturn]
    private void FailIn(ElfSection section, string reason, long offset, string? symbolName = null) =>
        throw new ObjectLoadException(reason, fileName, Label(section), offset, symbolName);

    private static string? NullIfEmpty(string name) => name.Length > 0 ? name : null;

    private static string Label(ElfSection section) => section.Name.Length > 0 ? section.Name : $"[{section.Index}]";

    [DoesNotReturn]
    private void Fail(string reason, string? sectionName, long offset, string? symbolName = null) =>
        throw new ObjectLoadException(reason, fileName, sectionName, offset, symbolName);
}

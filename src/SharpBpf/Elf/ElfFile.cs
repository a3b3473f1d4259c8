namespace SharpBpf.Elf;

/// <summary>
/// A relocatable ELF64 little-endian object for EM_BPF, as <c>clang -target bpf -c</c> writes it: the header,
/// every section (data sliced from the input, not copied), the symbol table and the relocation sections, all
/// bounds-checked.
/// <para>
/// Every malformed input gives an <see cref="ObjectLoadException"/> naming the file, the section and an offset,
/// never another exception: problems inside a section's contents (a symbol, a relocation entry, a string) give
/// the byte offset within that section; problems in a section header give the section (by name, or as
/// <c>[index]</c> when the name cannot be read) and the file offset of that header, with a reason that starts
/// with "section header"; problems in the file header give no section and the file offset of the field.
/// </para>
/// <para>
/// Deliberately not done here: anything that gives BPF meaning to sections or symbols (programs, maps, global
/// data, license, BTF) — that is the loader's job; program headers (a relocatable object has none); applying
/// relocations; writing ELF; big-endian and 32-bit objects (rejected with a clear message).
/// </para>
/// </summary>
internal sealed class ElfFile
{
    private readonly Dictionary<string, ElfSection> sectionsByName;

    internal ElfFile(string? fileName, ReadOnlyMemory<byte> bytes, ElfHeader header, IReadOnlyList<ElfSection> sections,
        ElfSection? symbolTableSection, IReadOnlyList<ElfSymbol> symbols, IReadOnlyList<ElfRelocationSection> relocationSections)
    {
        FileName = fileName;
        Bytes = bytes;
        Header = header;
        Sections = sections;
        SymbolTableSection = symbolTableSection;
        Symbols = symbols;
        RelocationSections = relocationSections;
        sectionsByName = new Dictionary<string, ElfSection>(StringComparer.Ordinal);
        foreach (var section in sections)
            sectionsByName.TryAdd(section.Name, section);
    }

    /// <summary>Reads an object from memory. <paramref name="fileName"/> only labels errors.</summary>
    /// <exception cref="ObjectLoadException">The bytes are not a well-formed ELF64 little-endian EM_BPF relocatable object.</exception>
    public static ElfFile Read(ReadOnlyMemory<byte> bytes, string? fileName = null) =>
        new ElfReader(bytes, fileName).Read();

    /// <summary>Reads an object file; errors name the file by its file name (without the directory).</summary>
    public static ElfFile ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Read(File.ReadAllBytes(path), Path.GetFileName(path));
    }

    public string? FileName { get; }

    /// <summary>The whole input; section data are slices of it.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public ElfHeader Header { get; }

    /// <summary>Every section in header order, including the null section at index 0.</summary>
    public IReadOnlyList<ElfSection> Sections { get; }

    /// <summary>The SHT_SYMTAB section, or null when the object has none.</summary>
    public ElfSection? SymbolTableSection { get; }

    /// <summary>The symbol table in order, including the null symbol at index 0; empty without a symbol table.</summary>
    public IReadOnlyList<ElfSymbol> Symbols { get; }

    /// <summary>Every SHT_REL and SHT_RELA section, in header order.</summary>
    public IReadOnlyList<ElfRelocationSection> RelocationSections { get; }

    /// <summary>The first section with this exact name, or null.</summary>
    public ElfSection? FindSection(string name) => sectionsByName.GetValueOrDefault(name);

    /// <summary>The relocation sections that patch <paramref name="target"/> (usually zero or one).</summary>
    public IEnumerable<ElfRelocationSection> RelocationsFor(ElfSection target) =>
        RelocationSections.Where(r => r.Target.Index == target.Index);

    /// <summary>The section a symbol lives in, or null for UNDEF, ABS, COMMON and other reserved indices.</summary>
    public ElfSection? SectionOf(ElfSymbol symbol) => symbol.IsInSection ? Sections[symbol.SectionIndex] : null;

    /// <summary>An error about this object, for later stages (the loader) that find a problem in a section.</summary>
    public ObjectLoadException CreateError(string reason, ElfSection? section = null, long? offset = null, string? symbolName = null) =>
        new(reason, FileName, section?.Name, offset, symbolName);
}

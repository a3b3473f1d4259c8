namespace SharpBpf.Elf;

/// <summary>
/// One entry of the symbol table. <see cref="SectionIndex"/> is the raw section index after resolving
/// extended indices (SHT_SYMTAB_SHNDX); special values are SHN_UNDEF (0), SHN_ABS (0xfff1) and SHN_COMMON
/// (0xfff2). For an ordinary index the reader has checked that the section exists. Section symbols
/// (<see cref="ElfSymbolType.Section"/>) usually have an empty <see cref="Name"/>; their section names them.
/// </summary>
internal sealed class ElfSymbol
{
    internal ElfSymbol(int index, string name, uint nameOffset, ulong value, ulong size, byte info, byte other,
        int sectionIndex)
    {
        Index = index;
        Name = name;
        NameOffset = nameOffset;
        Value = value;
        Size = size;
        Info = info;
        Other = other;
        SectionIndex = sectionIndex;
    }

    /// <summary>The entry's index in the symbol table; relocations refer to symbols by this number.</summary>
    public int Index { get; }

    public string Name { get; }
    public uint NameOffset { get; }

    /// <summary><c>st_value</c>: in a relocatable object, the offset within the symbol's section.</summary>
    public ulong Value { get; }

    public ulong Size { get; }

    /// <summary>Raw <c>st_info</c>.</summary>
    public byte Info { get; }

    /// <summary>Raw <c>st_other</c>.</summary>
    public byte Other { get; }

    public int SectionIndex { get; }

    public ElfSymbolType Type => (ElfSymbolType)(Info & 0xf);
    public ElfSymbolBinding Binding => (ElfSymbolBinding)(Info >> 4);
    public ElfSymbolVisibility Visibility => (ElfSymbolVisibility)(Other & 0x3);

    public bool IsUndefined => SectionIndex == ElfConstants.SectionIndexUndefined;
    public bool IsAbsolute => SectionIndex == ElfConstants.SectionIndexAbsolute;
    public bool IsCommon => SectionIndex == ElfConstants.SectionIndexCommon;

    /// <summary>True when <see cref="SectionIndex"/> names a real section (not UNDEF/ABS/COMMON/reserved).</summary>
    public bool IsInSection => SectionIndex != ElfConstants.SectionIndexUndefined &&
        (SectionIndex < ElfConstants.SectionIndexLowReserve || SectionIndex > ElfConstants.SectionIndexExtended);

    public override string ToString() => $"#{Index} {Name} ({Type} {Binding}, section {SectionIndex}, value 0x{Value:x})";
}

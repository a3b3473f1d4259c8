namespace SharpBpf.Elf;

/// <summary>
/// One section header and its bytes. <see cref="Data"/> is a slice of the buffer given to
/// <see cref="ElfFile.Read"/> (no copy); it is empty for SHT_NOBITS sections such as <c>.bss</c>, whose
/// <see cref="Size"/> is nevertheless the size they occupy when loaded.
/// </summary>
internal sealed class ElfSection
{
    internal ElfSection(int index, string name, uint nameOffset, ElfSectionType type, ElfSectionFlags flags,
        ulong address, ulong offset, ulong size, uint link, uint info, ulong alignment, ulong entrySize,
        ReadOnlyMemory<byte> data)
    {
        Index = index;
        Name = name;
        NameOffset = nameOffset;
        Type = type;
        Flags = flags;
        Address = address;
        Offset = offset;
        Size = size;
        Link = link;
        Info = info;
        Alignment = alignment;
        EntrySize = entrySize;
        Data = data;
    }

    public int Index { get; }

    /// <summary>The name from the section-name string table (<c>e_shstrndx</c>).</summary>
    public string Name { get; }

    /// <summary><c>sh_name</c>: the name's offset in the section-name string table.</summary>
    public uint NameOffset { get; }

    public ElfSectionType Type { get; }
    public ElfSectionFlags Flags { get; }
    public ulong Address { get; }

    /// <summary><c>sh_offset</c>: where the data starts in the file.</summary>
    public ulong Offset { get; }

    /// <summary><c>sh_size</c>; for SHT_NOBITS the size in memory, with no bytes in the file.</summary>
    public ulong Size { get; }

    public uint Link { get; }
    public uint Info { get; }
    public ulong Alignment { get; }
    public ulong EntrySize { get; }

    /// <summary>The section's bytes, a slice of the input; empty for SHT_NOBITS.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    public bool IsNoBits => Type == ElfSectionType.NoBits;

    public override string ToString() => $"[{Index}] {Name} ({Type}, 0x{Size:x} bytes)";
}

namespace SharpBpf.Elf;

/// <summary>
/// The fields of the ELF64 file header that a relocatable BPF object uses. <see cref="ElfFile.Read"/> has
/// already checked the identification bytes (ELFCLASS64, little-endian, version 1), the type (ET_REL) and
/// the machine (EM_BPF) by the time a header exists.
/// </summary>
/// <param name="SectionCount">The number of sections, after resolving the extended count kept in section 0 (e_shnum = 0).</param>
/// <param name="SectionNameTableIndex">The index of the section-name string table, after resolving SHN_XINDEX.</param>
internal sealed record ElfHeader(
    byte OsAbi,
    byte AbiVersion,
    ushort Type,
    ushort Machine,
    uint Version,
    ulong Entry,
    ulong ProgramHeaderOffset,
    ulong SectionHeaderOffset,
    uint Flags,
    ushort HeaderSize,
    ushort SectionHeaderEntrySize,
    int SectionCount,
    int SectionNameTableIndex);

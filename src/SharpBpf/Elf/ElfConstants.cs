namespace SharpBpf.Elf;

/// <summary>Numbers from the ELF specification (System V gABI) that the reader checks against.</summary>
internal static class ElfConstants
{
    public const int HeaderSize = 64;
    public const int SectionHeaderSize = 64;
    public const int SymbolSize = 24;
    public const int RelSize = 16;
    public const int RelaSize = 24;

    public const byte ClassElf32 = 1;
    public const byte ClassElf64 = 2;
    public const byte DataLittleEndian = 1;
    public const byte DataBigEndian = 2;
    public const byte CurrentVersion = 1;

    /// <summary>ET_REL: a relocatable object, what <c>clang -c</c> writes.</summary>
    public const ushort TypeRelocatable = 1;

    /// <summary>EM_BPF, the Linux BPF machine number.</summary>
    public const ushort MachineBpf = 247;

    public const ushort SectionIndexUndefined = 0;
    public const ushort SectionIndexLowReserve = 0xff00;
    public const ushort SectionIndexAbsolute = 0xfff1;
    public const ushort SectionIndexCommon = 0xfff2;
    public const ushort SectionIndexExtended = 0xffff;
}

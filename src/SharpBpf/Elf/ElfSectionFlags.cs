namespace SharpBpf.Elf;

/// <summary><c>sh_flags</c>; unknown bits are kept.</summary>
[Flags]
internal enum ElfSectionFlags : ulong
{
    None = 0,
    Write = 0x1,
    Alloc = 0x2,
    ExecInstr = 0x4,
    Merge = 0x10,
    Strings = 0x20,
    InfoLink = 0x40,
    LinkOrder = 0x80,
    OsNonconforming = 0x100,
    Group = 0x200,
    Tls = 0x400,
    Compressed = 0x800,
    /// <summary>SHF_EXCLUDE: the section is dropped by linkers (clang sets it on <c>.llvm_addrsig</c>).</summary>
    Exclude = 0x80000000,
}

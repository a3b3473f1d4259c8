namespace SharpBpf.Elf;

/// <summary>
/// <c>sh_type</c>. Values outside this list are kept as they are (cast the number), so an object with an
/// unusual section still reads.
/// </summary>
internal enum ElfSectionType : uint
{
    Null = 0,
    ProgBits = 1,
    SymbolTable = 2,
    StringTable = 3,
    RelocationsWithAddends = 4,
    Hash = 5,
    Dynamic = 6,
    Note = 7,
    NoBits = 8,
    Relocations = 9,
    DynamicSymbolTable = 11,
    InitArray = 14,
    FiniArray = 15,
    PreinitArray = 16,
    Group = 17,
    SymbolTableSectionIndices = 18,
    /// <summary>SHT_LLVM_ADDRSIG: the address-significance table clang emits.</summary>
    LlvmAddrsig = 0x6fff4c03,
}

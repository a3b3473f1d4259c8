namespace SharpBpf.Elf;

/// <summary>
/// One SHT_REL or SHT_RELA entry. <see cref="Offset"/> is relative to the target section, and the reader has
/// checked that the bytes the relocation type patches lie inside it and that the symbol exists.
/// </summary>
/// <param name="Addend">0 for SHT_REL entries (BPF's addend lives in the instruction or data word).</param>
internal readonly record struct ElfRelocation(
    ulong Offset,
    int SymbolIndex,
    uint RawType,
    long Addend,
    ElfSymbol Symbol)
{
    public BpfRelocationType Type => (BpfRelocationType)RawType;
}

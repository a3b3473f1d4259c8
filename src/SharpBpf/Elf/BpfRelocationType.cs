namespace SharpBpf.Elf;

/// <summary>
/// The BPF relocation types (<c>ELF64_R_TYPE</c>) LLVM emits, named as in LLVM's ELFRelocs/BPF.def.
/// Other numbers are kept as they are; deciding whether one is acceptable is the loader's job.
/// </summary>
internal enum BpfRelocationType : uint
{
    /// <summary>R_BPF_NONE.</summary>
    None = 0,

    /// <summary>R_BPF_64_64: the 64-bit immediate of an <c>lddw</c> (map and global-data references).</summary>
    Bpf64_64 = 1,

    /// <summary>R_BPF_64_ABS64: a 64-bit data word (e.g. program pointers in a PROG_ARRAY's <c>.values</c>, DWARF).</summary>
    Bpf64Abs64 = 2,

    /// <summary>R_BPF_64_ABS32: a 32-bit data word (DWARF).</summary>
    Bpf64Abs32 = 3,

    /// <summary>R_BPF_64_NODYLD32: a 32-bit data word a runtime dynamic linker must not touch (<c>.BTF</c>, <c>.BTF.ext</c>).</summary>
    Bpf64NoDyld32 = 4,

    /// <summary>R_BPF_64_32: the 32-bit immediate of a <c>call</c> (BPF-to-BPF calls).</summary>
    Bpf64_32 = 10,
}

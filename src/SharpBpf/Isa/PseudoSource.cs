namespace SharpBpf.Isa;

/// <summary>
/// The src field of an <c>lddw</c> (kernel <c>BPF_PSEUDO_*</c>): how its 64-bit immediate is to be read.
/// </summary>
internal enum LoadImm64Source : byte
{
    /// <summary>A plain 64-bit constant.</summary>
    Immediate = 0,
    /// <summary><c>BPF_PSEUDO_MAP_FD</c>: imm is a map file descriptor; dst gets the map.</summary>
    MapFd = 1,
    /// <summary><c>BPF_PSEUDO_MAP_VALUE</c>: imm is a map fd, next imm an offset into its value.</summary>
    MapValue = 2,
    /// <summary><c>BPF_PSEUDO_BTF_ID</c>: imm is a kernel BTF variable id.</summary>
    BtfId = 3,
    /// <summary><c>BPF_PSEUDO_FUNC</c>: imm is the relative slot of a subprogram (a callback address).</summary>
    Function = 4,
    /// <summary><c>BPF_PSEUDO_MAP_IDX</c>: imm is an index into the program's map array.</summary>
    MapIndex = 5,
    /// <summary><c>BPF_PSEUDO_MAP_IDX_VALUE</c>: as <see cref="MapValue"/> with a map index.</summary>
    MapIndexValue = 6,
}

/// <summary>The src field of a <c>call</c> (0x85).</summary>
internal enum CallSource : byte
{
    /// <summary>Call a helper by its id.</summary>
    Helper = 0,
    /// <summary><c>BPF_PSEUDO_CALL</c>: a bpf-to-bpf call; imm is the relative slot of the callee.</summary>
    Local = 1,
    /// <summary><c>BPF_PSEUDO_KFUNC_CALL</c>: a kernel function by BTF id.</summary>
    Kfunc = 2,
}

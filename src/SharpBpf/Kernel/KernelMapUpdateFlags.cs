namespace SharpBpf.Kernel;

/// <summary>The UAPI flags of BPF_MAP_UPDATE_ELEM.</summary>
[Flags]
internal enum KernelMapUpdateFlags : ulong
{
    /// <summary>BPF_ANY: create or replace.</summary>
    Any = 0,
    /// <summary>BPF_NOEXIST: only create (-EEXIST if present).</summary>
    NoExist = 1,
    /// <summary>BPF_EXIST: only replace (-ENOENT if absent).</summary>
    Exist = 2,
    /// <summary>BPF_F_LOCK: copy under the value's bpf_spin_lock.</summary>
    Lock = 4,
}

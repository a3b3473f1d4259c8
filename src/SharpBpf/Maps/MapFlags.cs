namespace SharpBpf.Maps;

/// <summary>Flags of <c>bpf_map_update_elem</c> / <c>BPF_MAP_UPDATE_ELEM</c> (uapi values).</summary>
[Flags]
public enum MapUpdateFlags : ulong
{
    /// <summary>BPF_ANY: create a new element or update an existing one.</summary>
    Any = 0,
    /// <summary>BPF_NOEXIST: create only.</summary>
    NoExist = 1,
    /// <summary>BPF_EXIST: update only.</summary>
    Exist = 2,
    /// <summary>BPF_F_LOCK: copy under the value's <c>bpf_spin_lock</c>.</summary>
    Lock = 4,
}

/// <summary>Map creation flags (<c>map_flags</c> of BPF_MAP_CREATE, uapi values).</summary>
[Flags]
public enum MapCreateFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary><c>BPF_F_NO_PREALLOC</c>: allocate hash elements on demand instead of at creation.</summary>
    NoPrealloc = 1 << 0,
    /// <summary><c>BPF_F_NO_COMMON_LRU</c>: one LRU list per CPU instead of a shared one.</summary>
    NoCommonLru = 1 << 1,
    /// <summary><c>BPF_F_NUMA_NODE</c>: the map's memory comes from the given NUMA node.</summary>
    NumaNode = 1 << 2,
    /// <summary><c>BPF_F_RDONLY</c>: user space may only read.</summary>
    Rdonly = 1 << 3,
    /// <summary><c>BPF_F_WRONLY</c>: user space may only write.</summary>
    Wronly = 1 << 4,
    /// <summary><c>BPF_F_STACK_BUILD_ID</c>.</summary>
    StackBuildId = 1 << 5,
    /// <summary><c>BPF_F_ZERO_SEED</c>: hash with seed 0 (deterministic; for tests).</summary>
    ZeroSeed = 1 << 6,
    /// <summary><c>BPF_F_RDONLY_PROG</c>: programs may only read (<c>.rodata</c>).</summary>
    RdonlyProg = 1 << 7,
    /// <summary><c>BPF_F_WRONLY_PROG</c>: programs may only write.</summary>
    WronlyProg = 1 << 8,
    /// <summary><c>BPF_F_CLONE</c>.</summary>
    Clone = 1 << 9,
    /// <summary><c>BPF_F_MMAPABLE</c>: array memory can be mapped by user space.</summary>
    Mmapable = 1 << 10,
    /// <summary><c>BPF_F_PRESERVE_ELEMS</c>.</summary>
    PreserveElems = 1 << 11,
    /// <summary><c>BPF_F_INNER_MAP</c>: an inner map whose max_entries may differ from its template's.</summary>
    InnerMap = 1 << 12,
    /// <summary><c>BPF_F_LINK</c>: a map of links.</summary>
    Link = 1 << 13,
    /// <summary><c>BPF_F_PATH_FD</c>.</summary>
    PathFd = 1 << 14,
    /// <summary><c>BPF_F_VTYPE_BTF_OBJ_FD</c>.</summary>
    VtypeBtfObjFd = 1 << 15,
    /// <summary><c>BPF_F_TOKEN_FD</c>.</summary>
    TokenFd = 1 << 16,
    /// <summary><c>BPF_F_SEGV_ON_FAULT</c>.</summary>
    SegvOnFault = 1 << 17,
    /// <summary><c>BPF_F_NO_USER_CONV</c>.</summary>
    NoUserConv = 1 << 18,

    /// <summary>BPF_F_ACCESS_MASK.</summary>
    AccessMask = Rdonly | RdonlyProg | Wronly | WronlyProg,
}

/// <summary>Flags and query selectors of the ring buffer helpers (uapi values).</summary>
internal static class RingBufferFlags
{
    public const ulong NoWakeup = 1;
    public const ulong ForceWakeup = 2;

    public const ulong QueryAvailableData = 0;
    public const ulong QueryRingSize = 1;
    public const ulong QueryConsumerPosition = 2;
    public const ulong QueryProducerPosition = 3;

    /// <summary>BPF_RINGBUF_BUSY_BIT in a record header's length word.</summary>
    public const uint BusyBit = 1u << 31;
    /// <summary>BPF_RINGBUF_DISCARD_BIT in a record header's length word.</summary>
    public const uint DiscardBit = 1u << 30;
    /// <summary>BPF_RINGBUF_HDR_SZ.</summary>
    public const int HeaderSize = 8;
}

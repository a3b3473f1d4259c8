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
    None = 0,
    NoPrealloc = 1 << 0,
    NoCommonLru = 1 << 1,
    NumaNode = 1 << 2,
    Rdonly = 1 << 3,
    Wronly = 1 << 4,
    StackBuildId = 1 << 5,
    ZeroSeed = 1 << 6,
    RdonlyProg = 1 << 7,
    WronlyProg = 1 << 8,
    Clone = 1 << 9,
    Mmapable = 1 << 10,
    PreserveElems = 1 << 11,
    InnerMap = 1 << 12,
    Link = 1 << 13,
    PathFd = 1 << 14,
    VtypeBtfObjFd = 1 << 15,
    TokenFd = 1 << 16,
    SegvOnFault = 1 << 17,
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

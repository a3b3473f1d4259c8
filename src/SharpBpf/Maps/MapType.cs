namespace SharpBpf.Maps;

/// <summary>Map types with the kernel's numbering (<c>enum bpf_map_type</c> in uapi <c>linux/bpf.h</c>).</summary>
public enum MapType : uint
{
    /// <summary><c>BPF_MAP_TYPE_UNSPEC</c>: invalid; no map has it.</summary>
    Unspec = 0,
    /// <summary><c>BPF_MAP_TYPE_HASH</c>: key/value hash table; elements are created and deleted by key.</summary>
    Hash = 1,
    /// <summary><c>BPF_MAP_TYPE_ARRAY</c>: fixed array of <c>max_entries</c> zero-initialized values indexed by a u32 key; elements cannot be deleted.</summary>
    Array = 2,
    /// <summary><c>BPF_MAP_TYPE_PROG_ARRAY</c>: program array, the jump table of <c>bpf_tail_call</c>.</summary>
    ProgArray = 3,
    /// <summary><c>BPF_MAP_TYPE_PERF_EVENT_ARRAY</c>: per-CPU perf event buffers that <c>bpf_perf_event_output</c> writes to.</summary>
    PerfEventArray = 4,
    /// <summary><c>BPF_MAP_TYPE_PERCPU_HASH</c>: hash table with one value copy per possible CPU.</summary>
    PercpuHash = 5,
    /// <summary><c>BPF_MAP_TYPE_PERCPU_ARRAY</c>: array with one value copy per possible CPU.</summary>
    PercpuArray = 6,
    /// <summary><c>BPF_MAP_TYPE_STACK_TRACE</c>: stack traces collected by <c>bpf_get_stackid</c>.</summary>
    StackTrace = 7,
    /// <summary><c>BPF_MAP_TYPE_CGROUP_ARRAY</c>: array of cgroup references.</summary>
    CgroupArray = 8,
    /// <summary><c>BPF_MAP_TYPE_LRU_HASH</c>: hash table that evicts the least recently used element when full.</summary>
    LruHash = 9,
    /// <summary><c>BPF_MAP_TYPE_LRU_PERCPU_HASH</c>: LRU hash table with per-CPU values.</summary>
    LruPercpuHash = 10,
    /// <summary><c>BPF_MAP_TYPE_LPM_TRIE</c>: longest-prefix-match trie (keys are a prefix length and data).</summary>
    LpmTrie = 11,
    /// <summary><c>BPF_MAP_TYPE_ARRAY_OF_MAPS</c>: array whose values are inner maps.</summary>
    ArrayOfMaps = 12,
    /// <summary><c>BPF_MAP_TYPE_HASH_OF_MAPS</c>: hash table whose values are inner maps.</summary>
    HashOfMaps = 13,
    /// <summary><c>BPF_MAP_TYPE_DEVMAP</c>: array of network devices, a <c>bpf_redirect_map</c> target.</summary>
    Devmap = 14,
    /// <summary><c>BPF_MAP_TYPE_SOCKMAP</c>: array of sockets.</summary>
    Sockmap = 15,
    /// <summary><c>BPF_MAP_TYPE_CPUMAP</c>: array of CPUs, a <c>bpf_redirect_map</c> target for XDP.</summary>
    Cpumap = 16,
    /// <summary><c>BPF_MAP_TYPE_XSKMAP</c>: array of AF_XDP sockets, a <c>bpf_redirect_map</c> target.</summary>
    Xskmap = 17,
    /// <summary><c>BPF_MAP_TYPE_SOCKHASH</c>: hash table of sockets.</summary>
    Sockhash = 18,
    /// <summary><c>BPF_MAP_TYPE_CGROUP_STORAGE</c>: cgroup-local storage (deprecated in the kernel).</summary>
    CgroupStorage = 19,
    /// <summary><c>BPF_MAP_TYPE_REUSEPORT_SOCKARRAY</c>: sockets of an SO_REUSEPORT group.</summary>
    ReuseportSockarray = 20,
    /// <summary><c>BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE</c>: per-CPU cgroup-local storage.</summary>
    PercpuCgroupStorage = 21,
    /// <summary><c>BPF_MAP_TYPE_QUEUE</c>: FIFO queue without keys (push, pop, peek).</summary>
    Queue = 22,
    /// <summary><c>BPF_MAP_TYPE_STACK</c>: LIFO stack without keys (push, pop, peek).</summary>
    Stack = 23,
    /// <summary><c>BPF_MAP_TYPE_SK_STORAGE</c>: socket-local storage.</summary>
    SkStorage = 24,
    /// <summary><c>BPF_MAP_TYPE_DEVMAP_HASH</c>: hash table of network devices, a <c>bpf_redirect_map</c> target.</summary>
    DevmapHash = 25,
    /// <summary><c>BPF_MAP_TYPE_STRUCT_OPS</c>: kernel struct_ops implementation.</summary>
    StructOps = 26,
    /// <summary><c>BPF_MAP_TYPE_RINGBUF</c>: multi-producer ring buffer shared with user space (<c>bpf_ringbuf_*</c>).</summary>
    Ringbuf = 27,
    /// <summary><c>BPF_MAP_TYPE_INODE_STORAGE</c>: inode-local storage.</summary>
    InodeStorage = 28,
    /// <summary><c>BPF_MAP_TYPE_TASK_STORAGE</c>: task-local storage.</summary>
    TaskStorage = 29,
    /// <summary><c>BPF_MAP_TYPE_BLOOM_FILTER</c>: Bloom filter without keys (push adds, peek tests).</summary>
    BloomFilter = 30,
    /// <summary><c>BPF_MAP_TYPE_USER_RINGBUF</c>: ring buffer that user space produces and programs drain.</summary>
    UserRingbuf = 31,
    /// <summary><c>BPF_MAP_TYPE_CGRP_STORAGE</c>: cgroup-local storage.</summary>
    CgrpStorage = 32,
    /// <summary><c>BPF_MAP_TYPE_ARENA</c>: sparse memory region shared by programs and user space.</summary>
    Arena = 33,
}

/// <summary>The kernel's names of map types in lowercase without <c>BPF_MAP_TYPE_</c> (as bpftool and the CLI's JSON print them).</summary>
public static class MapTypeNames
{
    private static readonly string[] Names =
    [
        "unspec", "hash", "array", "prog_array", "perf_event_array", "percpu_hash", "percpu_array", "stack_trace",
        "cgroup_array", "lru_hash", "lru_percpu_hash", "lpm_trie", "array_of_maps", "hash_of_maps", "devmap",
        "sockmap", "cpumap", "xskmap", "sockhash", "cgroup_storage", "reuseport_sockarray", "percpu_cgroup_storage",
        "queue", "stack", "sk_storage", "devmap_hash", "struct_ops", "ringbuf", "inode_storage", "task_storage",
        "bloom_filter", "user_ringbuf", "cgrp_storage", "arena",
    ];

    /// <summary><c>lru_hash</c> for <see cref="MapType.LruHash"/>; unknown numbers print as the number.</summary>
    public static string ToKernelName(this MapType type) =>
        (uint)type < (uint)Names.Length ? Names[(int)type] : ((uint)type).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses a kernel name (<c>hash</c>, <c>lru_hash</c>, any case) into a map type.</summary>
    public static bool TryParse(string name, out MapType type)
    {
        var index = Array.IndexOf(Names, name.ToLowerInvariant());
        type = (MapType)(uint)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>Types whose values exist once per possible CPU.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static bool IsPerCpu(this MapType type) =>
        type is MapType.PercpuArray or MapType.PercpuHash or MapType.LruPercpuHash or MapType.PercpuCgroupStorage;
}

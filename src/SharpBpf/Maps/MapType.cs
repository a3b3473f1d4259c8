namespace SharpBpf.Maps;

/// <summary>Map types with the kernel's numbering (<c>enum bpf_map_type</c> in uapi <c>linux/bpf.h</c>).</summary>
public enum MapType : uint
{
    Unspec = 0,
    Hash = 1,
    Array = 2,
    ProgArray = 3,
    PerfEventArray = 4,
    PercpuHash = 5,
    PercpuArray = 6,
    StackTrace = 7,
    CgroupArray = 8,
    LruHash = 9,
    LruPercpuHash = 10,
    LpmTrie = 11,
    ArrayOfMaps = 12,
    HashOfMaps = 13,
    Devmap = 14,
    Sockmap = 15,
    Cpumap = 16,
    Xskmap = 17,
    Sockhash = 18,
    CgroupStorage = 19,
    ReuseportSockarray = 20,
    PercpuCgroupStorage = 21,
    Queue = 22,
    Stack = 23,
    SkStorage = 24,
    DevmapHash = 25,
    StructOps = 26,
    Ringbuf = 27,
    InodeStorage = 28,
    TaskStorage = 29,
    BloomFilter = 30,
    UserRingbuf = 31,
    CgrpStorage = 32,
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

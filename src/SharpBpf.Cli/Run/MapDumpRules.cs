namespace SharpBpf.Cli.Run;

/// <summary>
/// Which maps list their entries in a dump: the types whose entries user space can read back from Linux the same way
/// (LPM tries, devmaps and cpumaps included; their empty slots are left out). Program arrays, map-in-map, queues,
/// stacks, ring buffers, perf event arrays, bloom filters, xskmaps and socket/storage maps hold ids, fds or streams that
/// differ between SharpBpf and the kernel (or cannot be iterated or read), so they dump with no entries in both.
/// </summary>
internal static class MapDumpRules
{
    private static readonly HashSet<string> Listed = new(StringComparer.Ordinal)
    {
        "hash", "array", "percpu_hash", "percpu_array", "lru_hash", "lru_percpu_hash",
        "lpm_trie", "devmap", "devmap_hash", "cpumap",
    };

    public static bool ListsEntries(string typeName) => Listed.Contains(typeName);
}

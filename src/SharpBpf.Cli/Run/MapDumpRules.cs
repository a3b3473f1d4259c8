namespace SharpBpf.Cli.Run;

/// <summary>
/// Which maps list their entries in a dump. Program arrays, map-in-map, queues, stacks and ring buffers hold ids or
/// streams that differ between SharpBpf and the kernel (or cannot be iterated), so they dump with no entries in both.
/// </summary>
internal static class MapDumpRules
{
    private static readonly HashSet<string> Listed = new(StringComparer.Ordinal)
    {
        "hash", "array", "percpu_hash", "percpu_array", "lru_hash", "lru_percpu_hash",
    };

    public static bool ListsEntries(string typeName) => Listed.Contains(typeName);
}

using SharpBpf.Kernel;
using SharpBpf.Maps;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// Every entry of every comparable map as text (key hex → value hex per CPU), the same way for both worlds.
/// Program arrays, map-in-map, queues, stacks and ring buffers hold ids or streams and are left out.
/// </summary>
internal static class MapContents
{
    private static readonly HashSet<string> Comparable = ["hash", "array", "percpu_hash", "percpu_array", "lru_hash", "lru_percpu_hash"];

    public static SortedDictionary<string, string> Of(IEnumerable<BpfMap> maps)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var map in maps.Where(m => Comparable.Contains(m.Type.ToKernelName())))
        {
            var value = new byte[map.HostValueSize];
            foreach (var key in map.Keys())
            {
                Assert.Equal(Errno.None, map.Lookup(key, value));
                var perCpu = Enumerable.Range(0, map.IsPerCpu ? map.PossibleCpus : 1)
                    .Select(cpu => Convert.ToHexStringLower(value.AsSpan(cpu * (map.IsPerCpu ? map.PerCpuStride : 0), map.ValueSize)));
                result[$"{map.Name}[{Convert.ToHexStringLower(key)}]"] = string.Join("|", perCpu);
            }
        }

        return result;
    }

    public static SortedDictionary<string, string> Of(IEnumerable<KernelMap> maps)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var map in maps.Where(m => Comparable.Contains(m.TypeName)))
        {
            foreach (var entry in map.Entries())
            {
                result[$"{map.Name}[{Convert.ToHexStringLower(entry.Key)}]"] = string.Join("|", entry.Values.Select(Convert.ToHexStringLower));
            }
        }

        return result;
    }
}

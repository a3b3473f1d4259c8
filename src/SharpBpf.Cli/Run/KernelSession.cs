using SharpBpf.Cli.Output;
using SharpBpf.Kernel;

namespace SharpBpf.Cli.Run;

/// <summary>The same object in the machine's Linux kernel (libbpf, BPF_PROG_TEST_RUN): the reference SharpBpf mirrors.</summary>
internal sealed class KernelSession(KernelObject obj, Loader.CollectionSpec? spec) : IRunSession
{
    public string Engine => "kernel";

    public IReadOnlyList<string> ProgramNames => [.. obj.Programs.Select(p => p.Name)];

    public RunResult Run(string program, byte[] data, byte[] context, int repeat)
    {
        var target = obj.Programs[program];
        var result = target.Run(data, context, repeat);
        var packet = target.TypeName is "xdp" or "sched_cls" or "sched_act" or "socket_filter";
        return new RunResult(program, result.ReturnValue, result.DurationNs, packet ? Hex.Format(result.DataOut) : null);
    }

    public void Advance(long nanoseconds) =>
        throw new UsageException("advance: the kernel has no virtual clock; use wait: with --engine kernel");

    public void Wait(long nanoseconds) => obj.WaitRealTime(TimeSpan.FromTicks(nanoseconds / 100));

    public void Update(string map, byte[] key, byte[] value) => Check(obj.Maps[map].Update(key, value), "update", map);

    public void Delete(string map, byte[] key) => Check(obj.Maps[map].Delete(key), "delete", map);

    public void ReleaseMaps() => obj.ReleaseMaps();

    public IReadOnlyDictionary<string, MapDump> DumpMaps()
    {
        var dumps = new SortedDictionary<string, MapDump>(StringComparer.Ordinal);
        foreach (var map in obj.Maps)
        {
            var entries = new List<MapEntryDump>();
            if (MapDumpRules.ListsEntries(map.TypeName))
            {
                foreach (var entry in map.Entries())
                {
                    entries.Add(entry.IsPerCpu
                        ? new MapEntryDump(Hex.Format(entry.Key), null, [.. entry.Values.Select(v => Hex.Format(v))])
                        : new MapEntryDump(Hex.Format(entry.Key), Hex.Format(entry.Values[0]), null));
                }
            }

            dumps[map.Name] = new MapDump(map.TypeName, map.KeySize, map.ValueSize, entries);
        }

        return dumps;
    }

    /// <summary>The kernel does not expose armed timers to user space.</summary>
    public IReadOnlyList<TimerDump> Timers() => [];

    public IReadOnlyList<string> Trace() => [];

    /// <summary>The kernel engine reads no BTF here; dumps stay hex.</summary>
    public MapEntryDisplay Display { get; } = new(spec);

    public void Dispose() => obj.Dispose();

    private static void Check(int result, string operation, string map)
    {
        if (result != 0)
        {
            throw new UsageException($"{operation} on map '{map}' failed: errno {-result}");
        }
    }
}

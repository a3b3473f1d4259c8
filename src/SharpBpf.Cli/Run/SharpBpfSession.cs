using SharpBpf.Btf;
using SharpBpf.Cli.Output;
using SharpBpf.Maps;
using SharpBpf.Runtime;
using SharpBpf.Time;

namespace SharpBpf.Cli.Run;

/// <summary>The object in SharpBpf, on the virtual or the real clock.</summary>
internal sealed class SharpBpfSession(BpfObject obj, string engine) : IRunSession
{
    public string Engine { get; } = engine;

    public BpfObject Object => obj;

    public IReadOnlyList<string> ProgramNames => [.. obj.Programs.Select(p => p.Name)];

    public RunResult Run(string program, byte[] data, byte[] context, int repeat)
    {
        var result = obj.Programs[program].Run(data, context, repeat);
        return new RunResult(program, result.ReturnValue, result.DurationNs,
            obj.Programs[program].IsPacketProgram ? Hex.Format(result.DataOut) : null);
    }

    public void Advance(long nanoseconds)
    {
        if (obj.VirtualClock is not { } clock)
        {
            throw new UsageException("advance: needs --clock virtual; use wait: with --clock real");
        }

        clock.Advance(nanoseconds);
    }

    public void Wait(long nanoseconds)
    {
        if (obj.Clock.IsVirtual)
        {
            throw new UsageException("wait: needs --clock real; use advance: to move virtual time");
        }

        // The host's part in real time: let the timer thread fire callbacks meanwhile.
        Thread.Sleep(TimeSpan.FromTicks(nanoseconds / 100));
    }

    public void Update(string map, byte[] key, byte[] value) => Check(obj.Maps[map].Update(key, Widen(obj.Maps[map], value), MapUpdateFlags.Any), "update", map);

    public void Delete(string map, byte[] key) => Check(obj.Maps[map].Delete(key), "delete", map);

    public void ReleaseMaps() => obj.ReleaseMaps();

    public IReadOnlyDictionary<string, MapDump> DumpMaps()
    {
        var dumps = new SortedDictionary<string, MapDump>(StringComparer.Ordinal);
        foreach (var map in obj.Maps)
        {
            var type = map.Type.ToKernelName();
            var entries = new List<MapEntryDump>();
            if (MapDumpRules.ListsEntries(type))
            {
                var value = new byte[map.HostValueSize];
                foreach (var key in map.Keys().OrderBy(k => k, ByteOrder.Instance))
                {
                    if (map.Lookup(key, value) != Errno.None) continue;
                    entries.Add(map.IsPerCpu
                        ? new MapEntryDump(Hex.Format(key), null,
                            [.. Enumerable.Range(0, map.PossibleCpus).Select(cpu => Hex.Format(value.AsSpan(cpu * map.PerCpuStride, map.ValueSize)))])
                        : new MapEntryDump(Hex.Format(key), Hex.Format(value), null));
                }
            }

            dumps[map.Name] = new MapDump(type, map.KeySize, map.ValueSize, entries);
        }

        return dumps;
    }

    public IReadOnlyList<TimerDump> Timers() =>
        [.. obj.Timers.GetTimers().Select(t => new TimerDump(t.MapName, Hex.Format(t.Key), ClockName(t.Clock),
            t.Expiry ?? -1, t.Callback ?? ""))];

    public IReadOnlyList<string> Trace() => obj.Trace;

    public MapEntryDisplay Display { get; } = new(obj.Spec);

    public void Dispose() => obj.Dispose();

    /// <summary>A per-CPU update from the command line gives one value; every CPU gets it, as bpftool does.</summary>
    private static byte[] Widen(BpfMap map, byte[] value)
    {
        if (!map.IsPerCpu || value.Length != map.ValueSize) return value;
        var wide = new byte[map.HostValueSize];
        for (var cpu = 0; cpu < map.PossibleCpus; cpu++) value.CopyTo(wide, cpu * map.PerCpuStride);
        return wide;
    }

    private static void Check(Errno error, string operation, string map)
    {
        if (error != Errno.None)
        {
            throw new UsageException($"{operation} on map '{map}' failed: {error} (-{(int)error})");
        }
    }

    internal static string ClockName(ClockId clock) => clock switch
    {
        ClockId.Realtime => "realtime",
        ClockId.Monotonic => "monotonic",
        ClockId.Boottime => "boottime",
        _ => clock.ToString().ToLowerInvariant(),
    };
}

/// <summary>Keys sorted by their bytes, as the JSON contract orders entries.</summary>
internal sealed class ByteOrder : IComparer<byte[]>
{
    public static ByteOrder Instance { get; } = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}

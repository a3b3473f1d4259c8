using SharpBpf.Kernel;
using SharpBpf.Maps;
using SharpBpf.Runtime;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// One real-world object loaded in Linux and in SharpBpf side by side: host map updates go to both and must give the
/// same errno, runs go to both and must give the same verdict and data_out, and <see cref="AssertSameMaps"/> reads
/// every map back the way user space can (get_next_key order, lookups with their errno).
/// </summary>
internal sealed class RealWorldWorlds : IDisposable
{
    private readonly IDisposable _pinned;

    public RealWorldWorlds(string objectFile, EngineKind engine)
    {
        var path = RealWorldData.PathOf(objectFile);
        Kernel = KernelObject.Open(path);
        Ours = BpfObject.Load(path, new BpfObjectOptions { Engine = engine });
        _pinned = CpuPinning.PinToCpu0();
    }

    public KernelObject Kernel { get; }
    public BpfObject Ours { get; }

    /// <summary>BPF_MAP_UPDATE_ELEM in both worlds; returns the (shared) result as -errno.</summary>
    public int Update(string map, byte[] key, byte[] value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        var kernel = Kernel.Maps[map].Update(key, value, (KernelMapUpdateFlags)(ulong)flags);
        var ours = -(int)Ours.Maps[map].Update(key, value, flags);
        Assert.True(kernel == ours, $"update of {map}[{Convert.ToHexStringLower(key)}]: kernel {kernel}, SharpBpf {ours}");
        return kernel;
    }

    /// <summary>Runs a program on a packet in both worlds and asserts the same outcome; returns it.</summary>
    public string Run(string program, byte[] packet)
    {
        var kernel = Outcome(() => Kernel.Programs[program].Run(packet) is var r ? (r.ReturnValue, r.DataOut) : default);
        var ours = Outcome(() => Ours.Programs[program].Run(packet) is var r ? ((uint)r.ReturnValue, r.DataOut) : default);
        Assert.True(kernel == ours, $"{program} on {Convert.ToHexStringLower(packet)}: kernel {kernel}, SharpBpf {ours}");
        return kernel;
    }

    public void AssertSameMaps()
    {
        foreach (var map in Kernel.Maps)
        {
            // A program array reads back as the kernel's program ids, which SharpBpf does not share.
            if (map.TypeName == "prog_array")
            {
                continue;
            }

            var kernel = Dump(map);
            var ours = Dump(Ours.Maps[map.Name]);
            // The kernel seeds its hash tables at random, so only their contents compare; other types keep their order.
            if (map.TypeName.Contains("hash", StringComparison.Ordinal) && map.TypeName != "devmap_hash")
            {
                kernel.Sort(StringComparer.Ordinal);
                ours.Sort(StringComparer.Ordinal);
            }
            Assert.Equal(kernel, ours);
        }
    }

    private static string Outcome(Func<(uint Retval, byte[] DataOut)> run)
    {
        try
        {
            var (retval, dataOut) = run();
            return $"retval {retval}, data_out {Convert.ToHexStringLower(dataOut)}";
        }
        catch (Exception e) when (e is KernelCallException or ProgramInputException)
        {
            return "refused";
        }
    }

    private static List<string> Dump(KernelMap map)
    {
        var lines = new List<string>();
        var key = Array.Empty<byte>();
        var next = new byte[map.KeySize];
        var value = new byte[map.RawValueSize];
        int result;
        while ((result = map.GetNextKey(key, next)) == 0 && lines.Count <= map.MaxEntries)
        {
            var found = map.Lookup(next, value);
            lines.Add(Line(map.Name, next, found, value.AsSpan(0, map.ValueSize)));
            key = (byte[])next.Clone();
        }
        lines.Add($"{map.Name} end {result}");
        return lines;
    }

    private static List<string> Dump(BpfMap map)
    {
        var lines = new List<string>();
        var key = Array.Empty<byte>();
        var next = new byte[map.KeySize];
        var value = new byte[map.HostValueSize];
        int result;
        while ((result = -(int)map.GetNextKey(key, next)) == 0 && lines.Count <= map.MaxEntries)
        {
            var found = -(int)map.Lookup(next, value);
            lines.Add(Line(map.Name, next, found, value.AsSpan(0, map.ValueSize)));
            key = (byte[])next.Clone();
        }
        lines.Add($"{map.Name} end {result}");
        return lines;
    }

    private static string Line(string map, byte[] key, int found, ReadOnlySpan<byte> value) =>
        found == 0 ? $"{map}[{Convert.ToHexStringLower(key)}] = {Convert.ToHexStringLower(value)}" : $"{map}[{Convert.ToHexStringLower(key)}] errno {found}";

    public void Dispose()
    {
        _pinned.Dispose();
        Ours.Dispose();
        Kernel.Dispose();
    }
}

using SharpBpf.Runtime;
using SharpBpf.Time;

namespace SharpBpf.Testing;

/// <summary>
/// A BPF object loaded for a test, on a virtual clock that only moves when the test says so: run programs on packets,
/// advance time so timers fire, and look at maps and timers by their BTF names.
/// <code>
/// using var bpf = BpfSandbox.Load("conntrack_timers.o");
/// Assert.Equal(XdpAction.Pass, bpf.Xdp("track_connections", Packets.Udp("10.0.0.2:40000", "10.0.0.53:53")));
/// bpf.Advance(TimeSpan.FromSeconds(2));
/// bpf.Maps["flows"].ShouldBeEmpty();
/// </code>
/// </summary>
public sealed class BpfSandbox : IDisposable
{
    private readonly Dictionary<string, SandboxMap> _maps = new(StringComparer.Ordinal);

    private BpfSandbox(BpfObject obj, VirtualClock clock)
    {
        Object = obj;
        Clock = clock;
        Maps = new SandboxMaps(this);
    }

    /// <summary>Loads and verifies an object (a rejection throws the verifier's exception with its log).</summary>
    public static BpfSandbox Load(string path, Func<BpfObjectOptions, BpfObjectOptions>? configure = null)
    {
        var clock = new VirtualClock();
        var options = new BpfObjectOptions { Clock = clock };
        if (configure is not null) options = configure(options);
        if (options.Clock != clock) throw new ArgumentException("a sandbox keeps its own virtual clock", nameof(configure));
        return new BpfSandbox(BpfObject.Load(path, options), clock);
    }

    /// <summary>The loaded object, for what the sandbox does not wrap (programs' specs, raw maps, trace lines).</summary>
    public BpfObject Object { get; }

    /// <summary>The sandbox's virtual clock: it moves only through <see cref="Advance"/> (or the clock itself).</summary>
    public VirtualClock Clock { get; }

    /// <summary>The object's maps by name, seen through their BTF types.</summary>
    public SandboxMaps Maps { get; }

    /// <summary>Runs an XDP program on an Ethernet frame, as a test run does.</summary>
    public XdpAction Xdp(string program, byte[] packet) => (XdpAction)Run(program, packet).ReturnValue;

    /// <summary>Runs any program: packet programs on <paramref name="packet"/>, others on <paramref name="context"/>.</summary>
    public ProgramRunResult Run(string program, byte[]? packet = null, byte[]? context = null) =>
        Object.Programs[program].Run(packet ?? [], context ?? []);

    /// <summary>Lets virtual time pass, firing every timer that falls due, in deadline order.</summary>
    public void Advance(TimeSpan duration) => Clock.Advance(duration);

    /// <summary>The timers armed now, with their maps' keys as their BTF types and the time left until they fire.</summary>
    public IReadOnlyList<ArmedTimer> ArmedTimers =>
        [.. Object.Timers.GetTimers().Select(t => new ArmedTimer(t.MapName, Maps[t.MapName].FormatKey(t.Key), t.Key,
            t.Expiry is { } expiry ? TimeSpan.FromTicks((Clock.ToMonotonic(t.Clock, expiry) - Clock.Now) / 100) : null, t.Callback))];

    /// <summary>Asserts a timer of <paramref name="map"/>'s element <paramref name="key"/> is armed; returns it.</summary>
    public ArmedTimer ShouldHaveTimer(string map, object key)
    {
        var bytes = Maps[map].EncodeKey(key);
        return ArmedTimers.FirstOrDefault(t => t.Map == map && t.KeyBytes.AsSpan().SequenceEqual(bytes))
            ?? throw new BpfAssertionException($"no armed timer in {map} for {Maps[map].FormatKey(bytes)}; armed: {Describe(ArmedTimers)}");
    }

    /// <summary>Asserts no timer of <paramref name="map"/>'s element <paramref name="key"/> is armed.</summary>
    public void ShouldHaveNoTimer(string map, object key)
    {
        var bytes = Maps[map].EncodeKey(key);
        if (ArmedTimers.FirstOrDefault(t => t.Map == map && t.KeyBytes.AsSpan().SequenceEqual(bytes)) is { } armed)
            throw new BpfAssertionException($"a timer is armed in {map} for {armed.Key}, due in {armed.DueIn}");
    }

    internal SandboxMap MapNamed(string name)
    {
        if (!_maps.TryGetValue(name, out var map))
        {
            if (!Object.Maps.TryGet(name, out var live))
                throw new BpfAssertionException($"the object has no map '{name}' (it has {string.Join(", ", Object.Maps.Select(m => m.Name))})");
            map = _maps[name] = new SandboxMap(live, Object.Spec);
        }

        return map;
    }

    private static string Describe(IReadOnlyList<ArmedTimer> timers) =>
        timers.Count == 0 ? "none" : string.Join("; ", timers.Select(t => $"{t.Map} {t.Key} due in {t.DueIn}"));

    /// <summary>Unloads the object: its timers are cancelled and its maps freed.</summary>
    public void Dispose() => Object.Dispose();
}

/// <summary>The sandbox's maps by name.</summary>
public sealed class SandboxMaps
{
    private readonly BpfSandbox _owner;

    internal SandboxMaps(BpfSandbox owner) => _owner = owner;

    /// <summary>The map named <paramref name="name"/>; an unknown name fails listing the maps there are.</summary>
    public SandboxMap this[string name] => _owner.MapNamed(name);
}

/// <summary>An armed timer: its map, its element's key as BTF types print it, and how long until it fires (null: never).</summary>
public sealed record ArmedTimer(string Map, string Key, byte[] KeyBytes, TimeSpan? DueIn, string? Callback);

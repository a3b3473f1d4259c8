using System.Collections.Concurrent;
using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Interpreter;
using SharpBpf.Loader;
using SharpBpf.Maps;
using SharpBpf.Time;
using SharpBpf.Timers;

namespace SharpBpf.Runtime;

/// <summary>
/// A loaded object: what <c>clang -target bpf</c> produced, with live maps (in native memory), programs linked to them
/// and prepared by an engine, and the timers of its maps on the runtime's clock. Dispose it to cancel every timer
/// and free every map. The host holds one user reference on each map until <see cref="ReleaseMaps"/> (R31).
/// </summary>
public sealed class BpfObject : IDisposable
{
    private readonly ConcurrentDictionary<BpfMap, MapTimerBinding> _timerBindings = new();
    private readonly List<string> _trace = [];
    private readonly Action<string>? _traceSink;
    private bool _disposed;

    private BpfObject(CollectionSpec spec, BpfObjectOptions options)
    {
        Spec = spec;
        Options = options;
        Clock = options.Clock ?? new VirtualClock();
        Timers = new TimerService(Clock);
        _traceSink = options.TraceSink;
        try
        {
            var maps = spec.Maps.Select(m => MapFactory.Create(m, options.PossibleCpus)).ToList();
            Maps = new NamedCollection<BpfMap>(maps, m => m.Name, "map");
            foreach (var (map, mapSpec) in maps.Zip(spec.Maps))
            {
                BindTimers(map, mapSpec);
            }

            GlobalDataRegions = MapFactory.GlobalDataRegions(spec, maps);
            var helpers = BuildHelpers(options);
            var engine = EngineFor(options.Engine);
            var engineOptions = new EngineOptions { Mode = options.Mode, Helpers = helpers, InstructionBudget = options.InstructionBudget };
            Programs = new NamedCollection<BpfProgram>(
                spec.Programs.Select(p => new BpfProgram(this, p, engine.Prepare(ProgramLinker.Link(p, maps), engineOptions))),
                p => p.Name, "program");
            MapFactory.ApplyInitialValues(spec, maps, Programs);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public CollectionSpec Spec { get; }
    public BpfObjectOptions Options { get; }
    public string Name => Spec.ObjectName;
    public IBpfClock Clock { get; }

    /// <summary>The virtual clock, when the object runs on virtual time (the default).</summary>
    public VirtualClock? VirtualClock => Clock as VirtualClock;

    public TimerService Timers { get; }
    public NamedCollection<BpfProgram> Programs { get; } = new([], p => p.Name, "program");
    public NamedCollection<BpfMap> Maps { get; } = new([], m => m.Name, "map");

    /// <summary>bpf_printk / bpf_trace_printk lines, in order.</summary>
    public IReadOnlyList<string> Trace
    {
        get
        {
            lock (_trace)
            {
                return [.. _trace];
            }
        }
    }

    internal IReadOnlyList<MemoryRegion> GlobalDataRegions { get; } = [];

    public static BpfObject Load(string path, BpfObjectOptions? options = null) =>
        new(ObjectLoader.LoadFile(path), options ?? new BpfObjectOptions());

    public static BpfObject Load(ReadOnlyMemory<byte> bytes, string fileName, BpfObjectOptions? options = null) =>
        new(ObjectLoader.Load(bytes, fileName), options ?? new BpfObjectOptions());

    /// <summary>
    /// Drops the host's user reference to every map, as closing the last fd or removing the last pin does in Linux:
    /// every timer is cancelled and freed, and a later <c>bpf_timer_init</c> returns -EPERM (R12, R31).
    /// </summary>
    public void ReleaseMaps()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var map in Maps)
        {
            map.ReleaseUserReferences();
        }
    }

    internal void AppendTrace(string line)
    {
        lock (_trace)
        {
            _trace.Add(line);
        }

        _traceSink?.Invoke(line);
    }

    internal ITimerMap? TimerBindingFor(ulong handle) =>
        BpfMap.FromHandle((nint)handle) is { } map ? TimerBindingFor(map) : null;

    /// <summary>The timer view of a map holding a bpf_timer; inner maps created later are bound on first use.</summary>
    internal MapTimerBinding? TimerBindingFor(BpfMap map)
    {
        if (_timerBindings.TryGetValue(map, out var binding))
        {
            return binding;
        }

        var timer = map.SpecialFields.FirstOrDefault(f => f.Kind == SpecialFieldKind.Timer);
        return timer.Size == 0 ? null : _timerBindings.GetOrAdd(map, m => new MapTimerBinding(m, timer.Offset, Timers));
    }

    private void BindTimers(BpfMap map, MapSpec spec)
    {
        if (spec.SpecialFields.TimerOffset is not null)
        {
            _ = TimerBindingFor(map);
        }
    }

    private static HelperRegistry BuildHelpers(BpfObjectOptions options)
    {
        var registry = new HelperRegistry().RegisterTimerHelpers();
        foreach (var helper in options.ExtraHelpers)
        {
            registry.Replace(helper.Id, helper.Name, helper.Function);
        }

        return registry;
    }

    private static IExecutionEngine EngineFor(EngineKind kind) => kind switch
    {
        EngineKind.Interpreter => InterpreterEngine.Instance,
        _ => throw new NotSupportedException($"the {kind} engine is not available in this build"),
    };

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Timers first: no callback may run once map memory starts going away.
        Timers.Dispose();
        foreach (var map in Maps)
        {
            map.ElementObserver = null;
            map.Dispose();
        }

        foreach (var binding in _timerBindings.Values)
        {
            binding.Dispose();
        }
    }
}

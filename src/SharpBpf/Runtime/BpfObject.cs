using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Interpreter;
using SharpBpf.Jit;
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
    private readonly ConcurrentDictionary<PreparedProgram, BpfProgram> _byPrepared = new();
    private readonly List<string> _trace = [];
    private readonly List<BpfMap> _createdMaps = [];
    private readonly Action<string>? _traceSink;
    private bool _disposed;

    private BpfObject(CollectionSpec spec, BpfObjectOptions options)
    {
        Spec = spec;
        Options = options;
        Clock = options.Clock ?? new VirtualClock();
        Timers = new TimerService(Clock) { RealTimeSchedulingPriority = options.TimerSchedulingPriority };
        _traceSink = options.TraceSink;
        var kconfig = KconfigResolver.Resolve(spec, options);
        foreach (var program in spec.Programs)
        {
            KfuncLinker.Check(spec, program);
        }

        try
        {
            // Kept as they are made, so a failure on the fifth map still frees the first four.
            foreach (var mapSpec in spec.Maps)
            {
                _createdMaps.Add(MapFactory.Create(mapSpec, options.PossibleCpus));
            }

            var maps = _createdMaps;
            Maps = new NamedCollection<BpfMap>(maps, m => m.Name, "map");
            GlobalDataRegions = MapFactory.GlobalDataRegions(spec, maps);
            var helpers = BuildHelpers(options);
            var signatures = ObjectVerifier.SignaturesOf(helpers);
            var hostHelperIds = ObjectVerifier.HostHelperIdsOf(helpers);
            var engine = EngineFor(options.Engine);
            var engineOptions = new EngineOptions { Mode = options.Mode, Helpers = helpers, InstructionBudget = options.InstructionBudget };
            Programs = new NamedCollection<BpfProgram>(spec.Programs.Select(p =>
            {
                var verdict = ObjectVerifier.Verify(spec, p, signatures, new Verifier.VerifierOptions { LogLevel = options.VerifierLogLevel }, hostHelperIds);
                if (!verdict.Accepted)
                {
                    throw verdict.ToException();
                }

                if (UnimplementedHelpers.Check(p, helpers) is { } unimplemented)
                {
                    throw unimplemented.ToException();
                }

                var prepared = engine.Prepare(MapBinder.Bind(p, maps), WithProofs(engineOptions, p, verdict, maps));
                return _byPrepared[prepared] = new BpfProgram(this, p, prepared);
            }), p => p.Name, "program");
            MapFactory.ApplyInitialValues(spec, maps, Programs);
            if (kconfig is not null)
            {
                MapFactory.ApplyKconfig(spec, maps, kconfig);
            }

            foreach (var program in Programs)
            {
                program.WarmUp();
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The blueprint the object was made from: programs, map definitions, BTF.</summary>
    public CollectionSpec Spec { get; }
    /// <summary>The options the object was loaded with.</summary>
    public BpfObjectOptions Options { get; }
    /// <summary>libbpf's object name (the file name up to its first dot).</summary>
    public string Name => Spec.ObjectName;
    /// <summary>The clock every time helper and timer of this object reads: a <see cref="Time.VirtualClock"/> unless the options gave another.</summary>
    public IBpfClock Clock { get; }

    /// <summary>The virtual clock, when the object runs on virtual time (the default).</summary>
    public VirtualClock? VirtualClock => Clock as VirtualClock;

    /// <summary>The object's <c>bpf_timer</c>s: inspect what is armed, when it fires, which callbacks faulted.</summary>
    public TimerService Timers { get; }
    /// <summary>The programs, in the object's order, by function name.</summary>
    public NamedCollection<BpfProgram> Programs { get; } = new([], p => p.Name, "program");
    /// <summary>The live maps (global data included, as libbpf names them), by name.</summary>
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

    /// <summary>Loads the object file at <paramref name="path"/>: reads it, creates its maps, verifies and prepares every program.</summary>
    /// <exception cref="ObjectLoadException">The file cannot be read as a BPF object.</exception>
    /// <exception cref="Verifier.VerificationException">A program is rejected by the verifier.</exception>
    /// <exception cref="MapCreateException">A map definition is refused as Linux refuses it.</exception>
    public static BpfObject Load(string path, BpfObjectOptions? options = null) =>
        new(ObjectLoader.LoadFile(path), options ?? new BpfObjectOptions());

    /// <summary>Loads an object from its bytes; <paramref name="fileName"/> names it in messages and gives the object its name.</summary>
    /// <exception cref="ObjectLoadException">The bytes cannot be read as a BPF object.</exception>
    /// <exception cref="Verifier.VerificationException">A program is rejected by the verifier.</exception>
    /// <exception cref="MapCreateException">A map definition is refused as Linux refuses it.</exception>
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

    /// <summary>The loaded program behind an engine's prepared program (what a PROG_ARRAY slot or a running helper holds).</summary>
    // Every bpf_tail_call resolves its target here: compiled optimized up front, as the run path is (a pinned CPU
    // would run tier-0 code for seconds).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal BpfProgram? ProgramFor(object? prepared) =>
        prepared is PreparedProgram key && _byPrepared.TryGetValue(key, out var program) ? program : prepared as BpfProgram;

    private HelperRegistry BuildHelpers(BpfObjectOptions options)
    {
        var environment = new HelperEnvironment
        {
            Clock = Clock,
            Network = options.Network,
            TraceSink = new TraceCollector(this),
            TailCallResolver = [MethodImpl(MethodImplOptions.AggressiveOptimization)] (slot) => ProgramFor(slot)?.Prepared,
            Timers = TimerBindings.ForMaps(Timers, (running, slot) =>
                (ProgramFor(running) ?? throw new InvalidOperationException("a timer callback from a program of another object")).TimerCallbackAt(slot)),
        };
        var registry = BuiltInHelpers.CreateRegistry(environment);
        foreach (var helper in options.ExtraHelpers)
        {
            registry.Replace(helper.Id, helper.Name, helper.Function);
        }

        return registry;
    }

    /// <summary>
    /// In proven-unchecked mode the engine gets the accesses the verifier proved; linking rewrites only lddw
    /// immediates, so the verified slots are the prepared program's slots.
    /// </summary>
    private static EngineOptions WithProofs(EngineOptions options, ProgramSpec program, Verifier.VerificationResult verdict, IReadOnlyList<BpfMap> maps) =>
        options.Mode == ExecutionMode.ProvenUnchecked
            ? options with
            {
                ProvenAccesses = new ProvenAccesses(verdict.ProvenSlots, program.Instructions.Length, (uint)program.Type,
                    verdict.KnownCallMaps.ToDictionary(site => site.Key, site => maps.Single(map => map.Name == site.Value)),
                    verdict.StackBytesBound, verdict.ProvenHelperArguments),
            }
            : options;

    // Where the runtime cannot generate code (NativeAOT), the interpreter runs what the JIT would have.
    private static IExecutionEngine EngineFor(EngineKind kind) =>
        kind == EngineKind.Jit && JitEngine.IsSupported ? CreateJit() : InterpreterEngine.Instance;

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("AOT", "IL3050", Justification = "guarded by JitEngine.IsSupported")]
    private static JitEngine CreateJit() => new JitEngine();

    /// <summary>Cancels every timer, waits for running callbacks, and frees every map.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Timers first: no callback may run once map memory starts going away.
        Timers.Dispose();
        foreach (var map in _createdMaps)
        {
            map.ElementObserver = null;
            map.Dispose();
        }
    }

    /// <summary>bpf_printk lines into <see cref="Trace"/>, without the newline the program ends them with.</summary>
    private sealed class TraceCollector(BpfObject owner) : ITraceSink
    {
        public void Write(string message) => owner.AppendTrace(message.TrimEnd('\n'));
    }
}

using System.Diagnostics;
using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Loader;
using SharpBpf.Maps;
using SharpBpf.Runtime.Contexts;
using SharpBpf.Timers;
using System.Runtime.CompilerServices;

namespace SharpBpf.Runtime;

/// <summary>
/// A loaded program: linked to its object's live maps, prepared by an engine, runnable with the kernel's test-run
/// conventions (<see cref="Run"/>) from any thread. It stays alive while timers hold a callback of it (R33).
/// </summary>
public sealed class BpfProgram : ITimerProgram
{
    private readonly PreparedProgram _prepared;
    private readonly HashSet<int> _functionEntries;
    private ProgramTimerCallback? _lastTimerCallback;
    private long _timerReferences;

    internal BpfProgram(BpfObject owner, ProgramSpec spec, PreparedProgram prepared)
    {
        Owner = owner;
        Spec = spec;
        _prepared = prepared;
        _functionEntries = [.. spec.Functions.Select(f => f.StartSlot)];
    }

    /// <summary>The program's function name.</summary>
    public string Name => Spec.Name;
    /// <summary>The section name that gave the program its type (<c>xdp</c>, <c>tc/ingress</c>, …).</summary>
    public string SectionName => Spec.SectionName;
    /// <summary>The program type.</summary>
    public ProgramType Type => Spec.Type;
    /// <summary>The program's blueprint.</summary>
    public ProgramSpec Spec { get; }
    internal BpfObject Owner { get; }
    internal PreparedProgram Prepared => _prepared;

    /// <summary>How many timers hold this program as their callback's owner.</summary>
    public long TimerReferences => Interlocked.Read(ref _timerReferences);

    /// <summary>True for the program types whose test run reports a 32-bit return value and works on a packet.</summary>
    public bool IsPacketProgram => Type is ProgramType.Xdp or ProgramType.SchedCls or ProgramType.SchedAct or ProgramType.SocketFilter;

    /// <summary>
    /// One test run, repeated <paramref name="repeat"/> times on the same buffer as the kernel's BPF_PROG_TEST_RUN:
    /// packet programs get <paramref name="data"/> in a frame with the kernel's headroom and their UAPI context
    /// (built from <paramref name="context"/> where given); other programs get <paramref name="context"/> as a raw
    /// context. Faults surface as <see cref="ProgramFaultException"/>.
    /// </summary>
    public ProgramRunResult Run(ReadOnlySpan<byte> data = default, ReadOnlySpan<byte> context = default, int repeat = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeat);
        return IsPacketProgram ? RunOnPacket(data, context, repeat) : RunOnRawContext(context, repeat);
    }

    /// <summary>A runner for many packets through this XDP program, each a test run, with one prepared context.</summary>
    public PacketRunner CreatePacketRunner() => new(this);

    /// <summary>
    /// The first run of a program pays for compiling the run path (this class, the run state, the packet context,
    /// the epoch): a test run through all of it with the JIT entered at slot -1, where the compiled code returns at
    /// once, makes that cost part of the load. It touches no map, clock, timer or trace the program can see.
    /// </summary>
    internal void WarmUp()
    {
        if (_prepared is not Jit.JitProgram jit)
        {
            return;
        }

        // What the compiled code calls is compiled too (not run): its helpers and the element methods of the maps.
        foreach (var method in jit.CallSiteHelpers.Select(h => h?.Method)
            .Concat(Owner.Maps.SelectMany(m => ElementMethods.Select(name => m.GetType().GetMethod(name)))))
        {
            if (method is { ContainsGenericParameters: false, IsAbstract: false })
            {
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
            }
        }

        if (IsPacketProgram)
        {
            RunOnPacket(new byte[64], default, 1, warmUp: true);
        }
        else
        {
            RunOnRawContext(default, 1, warmUp: true);
        }
    }

    private ProgramRunResult RunOnPacket(ReadOnlySpan<byte> data, ReadOnlySpan<byte> context, int repeat, bool warmUp = false)
    {
        using var packet = Type == ProgramType.Xdp
            ? PacketContext.ForXdp(data, context, Name)
            : PacketContext.ForSkb(data, context, Type == ProgramType.SocketFilter, Name);
        var run = NewRunContext(new RunHost(this, packet));
        run.R1 = (ulong)packet.ContextPointer;
        WarmUpEntry(run, warmUp);
        run.AddRegion(packet.ContextPointer, packet.ContextSize, MemoryAccess.ReadWrite, RegionKind.Context);
        run.AddRegion(packet.BufferStart, packet.BufferEnd - packet.BufferStart, MemoryAccess.ReadWrite, RegionKind.Packet);
        if (packet.SocketPointer != 0)
        {
            run.AddRegion(packet.SocketPointer, ContextLayouts.BpfSockSize, MemoryAccess.Read, RegionKind.Socket);
        }

        run.Packet = new MemoryRegion((ulong)packet.Data, (ulong)(packet.DataEnd - packet.Data), MemoryAccess.Read, RegionKind.Packet);
        var (r0, duration) = Execute(run, repeat);
        return new ProgramRunResult((uint)r0, packet.DataOut(), packet.ContextOut(), duration);
    }

    private unsafe ProgramRunResult RunOnRawContext(ReadOnlySpan<byte> context, int repeat, bool warmUp = false)
    {
        // The verifier proves context accesses against the type's whole UAPI struct, so a shorter context is padded
        // with zeros to that size (not for types whose context accesses are never proven: tracing, syscall); the
        // context out is the bytes that came in.
        var layout = VerifierContexts.For(Type);
        var buffer = new byte[Math.Max(context.Length, layout.FieldsProveBounds ? layout.Size : 0)];
        context.CopyTo(buffer);
        fixed (byte* pointer = buffer)
        {
            var run = NewRunContext(new RunHost(this, null));
            WarmUpEntry(run, warmUp);
            if (buffer.Length > 0)
            {
                run.R1 = (ulong)pointer;
                run.AddRegion((nint)pointer, buffer.Length, MemoryAccess.ReadWrite, RegionKind.Context);
            }

            var (r0, duration) = Execute(run, repeat);
            return new ProgramRunResult(r0, [], buffer.AsSpan(0, context.Length).ToArray(), duration);
        }
    }

    private static readonly string[] ElementMethods = [nameof(BpfMap.LookupElem), nameof(BpfMap.UpdateElem), nameof(BpfMap.DeleteElem)];

    private static void WarmUpEntry(RunContext run, bool warmUp)
    {
        if (warmUp)
        {
            run.IsWarmUp = true;
            run.EntrySlot = -1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (ulong R0, long DurationNs) Execute(RunContext run, int repeat)
    {
        ulong r0 = 0;
        var series = _prepared.StartSeries(run);
        try
        {
            // Engine time only, as the kernel reports it: a measurement, not a clock programs can see. One epoch for
            // the whole series, as the kernel's test run holds rcu_read_lock across repetitions; left and entered
            // again when memory waits for reclamation, as the kernel drops it when it must reschedule.
            var epochs = EpochManager.Shared;
            var start = Stopwatch.GetTimestamp();
            var scope = epochs.EnterRun();
            try
            {
                for (var i = 0; i < repeat; i++)
                {
                    r0 = series.Next();
                    if (epochs.PendingCount != 0)
                    {
                        scope.Dispose();
                        scope = epochs.EnterRun();
                    }
                }
            }
            finally
            {
                scope.Dispose();
            }

            var elapsed = Stopwatch.GetElapsedTime(start);
            return (r0, (long)(elapsed.Ticks * 100 / repeat));
        }
        finally
        {
            series.Dispose();
        }
    }

    /// <summary>Runs the subprogram at <paramref name="slot"/> as a timer callback: <c>cb(map, key, value)</c> (R20).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal ulong RunCallback(int slot, BpfMap map, nint key, nint value)
    {
        var run = NewRunContext(new RunHost(this, null));
        run.EntrySlot = slot;
        run.WithArguments((ulong)map.Handle, (ulong)key, (ulong)value);
        run.AddRegion(key, map.KeySize, MemoryAccess.Read, RegionKind.HelperMemory);
        run.AddRegion(value, map.ValueSize, MemoryAccess.ReadWrite, RegionKind.HelperMemory);
        using var scope = EpochManager.Shared.EnterRun();
        return _prepared.Run(run);
    }

    internal bool IsFunctionEntry(int slot) => _functionEntries.Contains(slot);

    /// <summary>The callback object for the subprogram at <paramref name="slot"/>. bpf_timer_set_callback runs on every
    /// arm in the usual pattern (cancel unregisters it, R17), so the last one is reused instead of allocated each time;
    /// the object holds only (program, slot), so sharing it is invisible.</summary>
    internal ProgramTimerCallback TimerCallbackAt(int slot)
    {
        var last = Volatile.Read(ref _lastTimerCallback);
        if (last is not null && last.Slot == slot)
        {
            return last;
        }

        var created = new ProgramTimerCallback(this, slot);
        Volatile.Write(ref _lastTimerCallback, created);
        return created;
    }

    internal string FunctionNameAt(int slot) => Spec.FunctionAt(slot).Name;

    internal RunContext NewRunContext(RunHost host)
    {
        var run = new RunContext { HostState = host };
        foreach (var region in Owner.GlobalDataRegions)
        {
            run.AddRegion((nint)region.Start, (long)region.Length, region.Access, RegionKind.HelperMemory);
        }

        return run;
    }

    void ITimerProgram.AddReference() => Interlocked.Increment(ref _timerReferences);

    void ITimerProgram.ReleaseReference() => Interlocked.Decrement(ref _timerReferences);

    /// <summary>The name, section and type name.</summary>
    public override string ToString() => $"{Name} ({SectionName}, {Spec.TypeName})";
}

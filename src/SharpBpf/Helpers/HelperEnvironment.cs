using SharpBpf.Maps;
using SharpBpf.Time;

namespace SharpBpf.Helpers;

/// <summary>
/// What the built-in helpers need from the runtime that hosts them, fixed when the registry is built
/// (<see cref="BuiltIn.BuiltInHelpers.CreateRegistry"/>). Per-run things (the packet) come through
/// <see cref="HelperCallContext.HostState"/> instead.
/// </summary>
internal sealed class HelperEnvironment
{
    /// <summary>What bpf_ktime_get_*_ns and bpf_jiffies64 read. Use a <see cref="VirtualClock"/> for deterministic runs.</summary>
    public IBpfClock Clock { get; init; } = SystemClock.Instance;

    /// <summary>Where bpf_trace_printk / bpf_trace_vprintk write; null drops the messages (the helpers still return their length).</summary>
    public ITraceSink? TraceSink { get; init; }

    public IRandomSource Random { get; init; } = new SeededRandom();

    public IHostProcess Process { get; init; } = HostProcess.Current;

    /// <summary>Turns the map value a program holds in a register (what the loader put in <c>lddw</c>) into the map.</summary>
    public Func<nint, BpfMap?> MapResolver { get; init; } = BpfMap.FromHandle;

    /// <summary>
    /// Turns what a PROG_ARRAY slot holds (the runtime's program object) into what the engine runs on a tail call
    /// (an <c>Execution.PreparedProgram</c>). Null from the resolver: the tail call fails like an empty slot.
    /// The default passes the slot's object through.
    /// </summary>
    public Func<object, object?> TailCallResolver { get; init; } = static program => program;

    /// <summary>The network the packet helpers ask about (devices, routes, neighbours, cookies, cgroup).</summary>
    public NetworkHost Network { get; init; } = NetworkHost.Default;

    /// <summary>The timer service and glue for bpf_timer_* (169–172); null leaves those helpers unregistered.</summary>
    public TimerBindings? Timers { get; init; }

    /// <summary>The kernel's CONFIG_HZ for bpf_jiffies64 (Debian's kernels use 250).</summary>
    public int JiffiesHz
    {
        get => _jiffiesHz;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _jiffiesHz = value;
        }
    }

    private readonly int _jiffiesHz = 250;
}

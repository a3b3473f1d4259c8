using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Time;
using SharpBpf.Timers;

namespace SharpBpf.Runtime;

/// <summary>How <see cref="BpfObject.Load(string, BpfObjectOptions?)"/> sets up an object.</summary>
public sealed class BpfObjectOptions
{
    /// <summary>The runtime's time: timers, deadlines and every time helper read it. Default: a new <see cref="VirtualClock"/>.</summary>
    public IBpfClock? Clock { get; init; }

    /// <summary>
    /// SCHED_FIFO priority (1-99) of the thread that fires timers on a real clock, or 0 for normal scheduling. By
    /// default <see cref="TimerService.DefaultRealTimeSchedulingPriority"/>, applied when the process may (root or
    /// CAP_SYS_NICE) and silently not otherwise; see <see cref="TimerService.RealTimeSchedulingPriority"/>.
    /// </summary>
    public int TimerSchedulingPriority { get; init; } = TimerService.DefaultRealTimeSchedulingPriority;

    /// <summary>
    /// Kconfig lines (<c>CONFIG_NAME=value</c>, as in /proc/config.gz) that resolve the object's <c>__kconfig</c>
    /// externs, like libbpf's <c>kconfig</c> open option. Default: none, so only <c>__weak</c> CONFIG_ externs load
    /// (as 0); <see cref="KconfigResolver.ReadRunningKernelConfig"/> reads this machine's as libbpf would.
    /// </summary>
    public string? KernelConfig { get; init; }

    /// <summary>The value of the <c>LINUX_KERNEL_VERSION</c> extern. Default: this machine's kernel, as libbpf takes it from uname.</summary>
    public uint? LinuxKernelVersion { get; init; }

    /// <summary>The JIT by default; the interpreter where dynamic code is unavailable.</summary>
    public EngineKind Engine { get; init; } = EngineKind.Jit;

    /// <summary>
    /// By default (<see cref="ExecutionMode.ProvenUnchecked"/>) the loads, stores and atomics the verifier proved in
    /// bounds on every path run without a check and every other access stays checked. <see cref="ExecutionMode.Checked"/>
    /// checks every access (the proofs are not used); <see cref="ExecutionMode.Unchecked"/> checks none.
    /// </summary>
    public ExecutionMode Mode { get; init; } = ExecutionMode.ProvenUnchecked;

    /// <summary>Instruction budget per run (a runaway loop faults instead of hanging the host).</summary>
    public long InstructionBudget { get; init; } = EngineOptions.DefaultInstructionBudget;

    /// <summary>How many CPUs per-CPU maps have (the kernel's possible CPUs). Default: this machine's.</summary>
    public int PossibleCpus { get; init; } = Environment.ProcessorCount;

    /// <summary>Where bpf_printk/bpf_trace_printk lines go, besides <see cref="BpfObject.Trace"/>.</summary>
    public Action<string>? TraceSink { get; init; }

    /// <summary>How much of the verifier's log a rejection carries (see <see cref="Verifier.VerifierOptions.LogLevel"/>).</summary>
    public int VerifierLogLevel { get; init; } = 1;

    /// <summary>
    /// The network bpf_fib_lookup, bpf_check_mtu, bpf_clone_redirect, bpf_get_netns_cookie and the cgroup id helpers
    /// see. Default: a fresh network namespace's (loopback only, forwarding off, no routes), the root cgroup.
    /// </summary>
    public NetworkHost Network { get; init; } = NetworkHost.Default;

    /// <summary>
    /// Host helpers to register over (or besides) the built-ins, by id. Internal until helpers have a public contract
    /// without raw addresses (<see cref="HelperCallContext"/> works in native addresses); tests and the CLI use it.
    /// </summary>
    internal IReadOnlyList<HelperDescriptor> ExtraHelpers { get; init; } = [];
}

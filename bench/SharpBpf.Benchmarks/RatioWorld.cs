using SharpBpf.Execution;
using SharpBpf.Kernel;
using SharpBpf.Runtime;

namespace SharpBpf.Benchmarks;

/// <summary>
/// One side of the ratio benchmark: the object loaded by one engine (SharpBpf's JIT or interpreter, in one mode, or
/// the machine's kernel), able to run a program with a repeat count and report the engine's own ns per run (the
/// kernel's BPF_PROG_TEST_RUN duration; SharpBpf's <see cref="ProgramRunResult.DurationNs"/>, measured the same way).
/// </summary>
internal sealed class RatioWorld : IDisposable
{
    private readonly BpfObject? _sharp;
    private readonly KernelObject? _kernel;

    private readonly bool _cpuTime;

    private RatioWorld(string name, BpfObject? sharp, KernelObject? kernel, bool cpuTime = false)
    {
        Name = name;
        _cpuTime = cpuTime;
        _sharp = sharp;
        _kernel = kernel;
    }

    public string Name { get; }

    public bool IsKernel => _kernel is not null;

    public static RatioWorld Kernel(string path) => new("linux", null, KernelObject.Open(path));

    /// <param name="cpuTime">Report the thread's CPU time per run (<see cref="ThreadCpuClock"/>) instead of the engine's wall-clock duration.</param>
    public static RatioWorld SharpBpf(string path, EngineKind engine, ExecutionMode mode, bool cpuTime)
    {
        var name = (engine == EngineKind.Jit ? "jit" : "interp") + mode switch
        {
            ExecutionMode.Checked => "-checked",
            ExecutionMode.Unchecked => "-unchecked",
            _ => "", // the default: BpfObject's proven-unchecked
        };
        return new RatioWorld(name, BpfObject.Load(path, new BpfObjectOptions { Engine = engine, Mode = mode }), null, cpuTime);
    }

    public IEnumerable<string> ProgramNames => _kernel is not null
        ? _kernel.Programs.Select(p => p.Name)
        : _sharp!.Programs.Select(p => p.Name);

    /// <summary>One test run of <paramref name="repeat"/> repetitions: (return value, ns per repetition).</summary>
    public (uint ReturnValue, double NanosecondsPerRun) Run(string program, byte[] packet, int repeat)
    {
        if (_kernel is not null)
        {
            var result = _kernel.Programs[program].Run(packet, repeat: repeat);
            return (result.ReturnValue, result.DurationNs);
        }

        var cpuStart = _cpuTime ? ThreadCpuClock.Nanoseconds() : 0;
        var sharp = _sharp!.Programs[program].Run(packet, repeat: repeat);
        return _cpuTime
            ? ((uint)sharp.ReturnValue, (double)(ThreadCpuClock.Nanoseconds() - cpuStart) / repeat)
            : ((uint)sharp.ReturnValue, sharp.DurationNs);
    }

    public void Dispose()
    {
        _sharp?.Dispose();
        _kernel?.Dispose();
    }
}

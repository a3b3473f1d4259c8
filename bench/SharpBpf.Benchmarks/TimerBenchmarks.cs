using BenchmarkDotNet.Attributes;

namespace SharpBpf.Benchmarks;

/// <summary>
/// One arm+cancel as a BPF program does it (set_callback + start + cancel, since cancel unregisters the callback),
/// straight on the TimerService with a fake map, alone and with a million other timers armed in the same queue.
/// bench/timers.sh sets it next to the kernel's figure for the same loop (bench/kernel/timer_bench.c).
/// </summary>
[MemoryDiagnoser]
public class TimerArmCancelBenchmarks
{
    private ArmCancelLoop _loop = null!;

    [Params(0, 1_000_000)]
    public int OtherArmed { get; set; }

    [GlobalSetup]
    public void Setup() => _loop = new ArmCancelLoop(OtherArmed);

    [GlobalCleanup]
    public void Cleanup() => _loop.Dispose();

    [Benchmark]
    public long SetCallbackStartCancel() => _loop.Once();
}

/// <summary>
/// Virtual-time firing with 1, 1,000 and 1,000,000 armed timers, each re-arming itself from its callback (period =
/// armed x 1 µs, one fire per virtual µs). The reported time is per fire.
/// </summary>
[MemoryDiagnoser]
public class TimerFireBenchmarks
{
    private const int FiresPerInvoke = 100_000;
    private const long Spacing = 1_000;
    private VirtualTimerBench _bench = null!;

    [Params(1, 1_000, 1_000_000)]
    public int Armed { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bench = new VirtualTimerBench(Armed, Armed * Spacing);
        _bench.ArmStaggered(Spacing);
    }

    [GlobalCleanup]
    public void Cleanup() => _bench.Dispose();

    [Benchmark(OperationsPerInvoke = FiresPerInvoke)]
    public long PeriodicFires()
    {
        var fired = _bench.Clock.Advance(FiresPerInvoke * Spacing);
        return fired == FiresPerInvoke ? fired : throw new InvalidOperationException($"{fired} fires");
    }
}

/// <summary>
/// 1,000 or 1,000,000 one-shot timers with scattered deadlines (arming order is not deadline order), all fired by
/// one advance. Arming happens in the iteration setup and is not timed; the reported time is per advance (divide by
/// Armed for a fire).
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class TimerBigAdvanceBenchmarks
{
    private VirtualTimerBench _bench = null!;
    private long _span;

    [Params(1_000, 1_000_000)]
    public int Armed { get; set; }

    [GlobalSetup]
    public void Setup() => _bench = new VirtualTimerBench(Armed, period: 0);

    [GlobalCleanup]
    public void Cleanup() => _bench.Dispose();

    [IterationSetup]
    public void Arm() => _span = _bench.ArmScattered(Armed * 1_000L);

    [Benchmark]
    public double FireAll()
    {
        var fired = _bench.Clock.Advance(_span);
        return fired == Armed ? (double)fired : throw new InvalidOperationException($"{fired} fires");
    }
}

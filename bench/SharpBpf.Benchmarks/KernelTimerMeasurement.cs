using System.Buffers.Binary;
using SharpBpf.Kernel;

namespace SharpBpf.Benchmarks;

/// <summary>
/// The same measurements made by the machine's kernel with bench/kernel/timer_bench.o through SharpBpf.Kernel:
/// arm+cancel timed by BPF_PROG_TEST_RUN (repeat) minus the empty loop, and the lateness the BPF callbacks record.
/// </summary>
internal sealed class KernelTimerMeasurement(string objectPath)
{
    private const int ArmCancelLoops = 1000; // ARM_CANCEL_LOOPS in timer_bench.c
    private const uint XdpPass = 2;
    private static readonly byte[] Packet = new byte[64];
    private static readonly byte[] SyscallContext = new byte[8];

    /// <summary>How many runs of init_many the last <see cref="Many"/> needed (bpf_timer_init's -ENOMEM limit).</summary>
    public int InitRuns { get; private set; }

    public sealed record ArmCancelResult(double NanosecondsPerOp, double LoopNanosecondsPerIteration, double GrossNanosecondsPerOp);

    public ArmCancelResult ArmCancel(int repeat = 200, int rounds = 5)
    {
        using var obj = KernelObject.Open(objectPath);
        Expect(obj.Programs["arm_init"].Run(Packet), "arm_init");
        Expect(obj.Programs["arm_cancel"].Run(Packet, repeat: 10), "arm_cancel warm-up");
        // The best of a few rounds: on a loaded machine the kernel's own figure is disturbed as much as ours.
        double best = double.MaxValue, bestLoop = double.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var gross = obj.Programs["arm_cancel"].Run(Packet, repeat: repeat);
            Expect(gross, "arm_cancel");
            var loop = obj.Programs["loop_baseline"].Run(Packet, repeat: repeat);
            Expect(loop, "loop_baseline");
            best = Math.Min(best, (double)gross.DurationNs / ArmCancelLoops);
            bestLoop = Math.Min(bestLoop, (double)loop.DurationNs / ArmCancelLoops);
        }

        var failures = BinaryPrimitives.ReadUInt64LittleEndian(obj.Maps["arm_map"].Lookup(Key(0))!);
        if (failures != 0)
        {
            throw new InvalidOperationException($"{failures} kernel cancels did not find the timer armed");
        }

        return new ArmCancelResult(best - bestLoop, bestLoop, best);
    }

    /// <summary>The kernel's 1 ms periodic timer; <paramref name="alongside"/> runs while it ticks (SharpBpf's own
    /// measurement, so both see the same machine at the same time).</summary>
    public LatenessStats Periodic(Action? alongside = null)
    {
        using var obj = KernelObject.Open(objectPath);
        Expect(obj.Programs["start_periodic"].Run(Packet), "start_periodic");
        alongside?.Invoke();
        var periodic = obj.Maps["periodic_map"];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        ulong fired;
        do
        {
            obj.WaitRealTime(TimeSpan.FromMilliseconds(100));
            fired = BinaryPrimitives.ReadUInt64LittleEndian(periodic.Lookup(Key(0))!.AsSpan(24)); // after timer, expected
        }
        while (fired < LatenessMeasurement.PeriodicFires && DateTime.UtcNow < deadline);

        var samples = new List<long>(LatenessMeasurement.PeriodicFires);
        var lateness = obj.Maps["periodic_lateness"];
        for (var i = 0; i < (int)Math.Min(fired, (ulong)LatenessMeasurement.PeriodicFires); i++)
        {
            samples.Add(BinaryPrimitives.ReadInt64LittleEndian(lateness.Lookup(Key(i))!));
        }

        return LatenessStats.Of(samples);
    }

    /// <summary>The kernel's 10,000 timers; <paramref name="alongside"/> runs once they are armed.</summary>
    public LatenessStats Many(Action? alongside = null)
    {
        using var obj = KernelObject.Open(objectPath);
        var progress = obj.Maps["many_progress"]; // { u32 next; s32 last_error; }
        int next = 0, runs = 0;
        while (next < LatenessMeasurement.ManyTimers)
        {
            Expect(obj.Programs["init_many"].Run(contextIn: SyscallContext), "init_many", expected: 0);
            var state = progress.Lookup(Key(0))!;
            next = BinaryPrimitives.ReadInt32LittleEndian(state);
            if (++runs > 20_000)
            {
                throw new InvalidOperationException(
                    $"the kernel initialized only {next} timers (last error {BinaryPrimitives.ReadInt32LittleEndian(state.AsSpan(4))})");
            }

            if (next < LatenessMeasurement.ManyTimers)
            {
                RefillChargeStock();
            }
        }

        InitRuns = runs;
        Expect(obj.Programs["start_many"].Run(Packet), "start_many");
        var many = obj.Maps["many_map"];
        var armed = System.Diagnostics.Stopwatch.StartNew();
        alongside?.Invoke();
        var remaining = TimeSpan.FromMilliseconds(1_100) - armed.Elapsed;
        if (remaining > TimeSpan.Zero)
        {
            obj.WaitRealTime(remaining); // the last deadline is 50 ms + 1 s after arming
        }
        var samples = new List<long>(LatenessMeasurement.ManyTimers);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (var i = 0; i < LatenessMeasurement.ManyTimers; i++)
        {
            while (true)
            {
                var value = many.Lookup(Key(i))!; // { timer[16], expected, lateness, fired }
                if (BinaryPrimitives.ReadUInt64LittleEndian(value.AsSpan(32)) == 1)
                {
                    samples.Add(BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(24)));
                    break;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"kernel timer {i} of many_map never fired");
                }

                obj.WaitRealTime(TimeSpan.FromMilliseconds(50));
            }
        }

        return LatenessStats.Of(samples);
    }

    // On 6.18 bpf_timer_init allocates with kmalloc_nolock, which fails once the per-CPU slab and charge caches it
    // may use without locks run dry; ordinary kernel allocations refill them. Measured: repeating the run or faulting
    // in memory does not help, while starting a process (many accounted allocations) lets about 20 more succeed.
    private static void RefillChargeStock()
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/true") { UseShellExecute = false });
        process?.WaitForExit();
    }

    private static byte[] Key(int index)
    {
        var key = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(key, index);
        return key;
    }

    private static void Expect(KernelRunResult result, string what, uint expected = XdpPass)
    {
        if (result.ReturnValue != expected)
        {
            throw new InvalidOperationException($"{what} returned {result.ReturnValue} in the kernel (expected {expected})");
        }
    }
}

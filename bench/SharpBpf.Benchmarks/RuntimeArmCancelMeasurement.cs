using System.Buffers.Binary;
using SharpBpf.Execution;
using SharpBpf.Runtime;
using SharpBpf.Time;

namespace SharpBpf.Benchmarks;

/// <summary>
/// arm+cancel through SharpBpf's whole runtime: the same bench/kernel/timer_bench.o programs the kernel runs
/// (<c>arm_cancel</c>: 1,000 rounds of set_callback+start+cancel in bpf_loop, minus <c>loop_baseline</c>), loaded
/// by <see cref="BpfObject"/> on the system clock (each start reads it, as the kernel's does) and run with the same
/// repeat, so helper dispatch, argument checks, the map adapter and the callback binding are all in the figure, as the
/// kernel's helper calls are in its own.
/// </summary>
internal static class RuntimeArmCancelMeasurement
{
    private const int ArmCancelLoops = 1000; // ARM_CANCEL_LOOPS in timer_bench.c
    private const ulong XdpPass = 2;
    private static readonly byte[] Packet = new byte[64];

    /// <summary>Bytes allocated per arm+cancel round in the last <see cref="Run"/> (the timed arm_cancel runs only).</summary>
    public static double LastAllocatedBytesPerOp { get; private set; }

    public static KernelTimerMeasurement.ArmCancelResult Run(string objectPath, ExecutionMode mode, int repeat = 200, int rounds = 5)
    {
        using var obj = BpfObject.Load(objectPath, new BpfObjectOptions { Mode = mode, Clock = SystemClock.Instance });
        Expect(obj.Programs["arm_init"].Run(Packet), "arm_init");
        for (var i = 0; i < 5; i++)
        {
            Expect(obj.Programs["arm_cancel"].Run(Packet, repeat: 100), "arm_cancel warm-up");
            Expect(obj.Programs["loop_baseline"].Run(Packet, repeat: 100), "loop_baseline warm-up");
        }

        double best = double.MaxValue, bestLoop = double.MaxValue;
        long allocated = 0;
        for (var round = 0; round < rounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var gross = obj.Programs["arm_cancel"].Run(Packet, repeat: repeat);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            Expect(gross, "arm_cancel");
            var loop = obj.Programs["loop_baseline"].Run(Packet, repeat: repeat);
            Expect(loop, "loop_baseline");
            best = Math.Min(best, (double)gross.DurationNs / ArmCancelLoops);
            bestLoop = Math.Min(bestLoop, (double)loop.DurationNs / ArmCancelLoops);
        }

        LastAllocatedBytesPerOp = (double)allocated / ((long)rounds * repeat * ArmCancelLoops);
        var value = new byte[obj.Maps["arm_map"].ValueSize];
        obj.Maps["arm_map"].Lookup(new byte[4], value);
        var failures = BinaryPrimitives.ReadUInt64LittleEndian(value);
        if (failures != 0)
        {
            throw new InvalidOperationException($"{failures} cancels did not find the timer armed");
        }

        return new KernelTimerMeasurement.ArmCancelResult(best - bestLoop, bestLoop, best);
    }

    private static void Expect(ProgramRunResult result, string what)
    {
        if (result.ReturnValue != XdpPass)
        {
            throw new InvalidOperationException($"{what} returned {result.ReturnValue}");
        }
    }
}

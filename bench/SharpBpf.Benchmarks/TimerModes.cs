using SharpBpf.Execution;
using SharpBpf.Kernel;

namespace SharpBpf.Benchmarks;

/// <summary>
/// The console modes of the benchmark program for timers: <c>virtual</c> (fires per second in virtual time),
/// <c>lateness</c> (real-clock lateness of SharpBpf's driver), <c>arm-cancel</c>, <c>runtime-arm-cancel</c> (the kernel's
/// arm_cancel program run by SharpBpf's runtime), and <c>kernel-compare</c> (all of it
/// next to the same measurements made by the machine's kernel with bench/kernel/timer_bench.o, with ratios).
/// Anything else goes to BenchmarkDotNet.
/// </summary>
internal static class TimerModes
{
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        switch (args.FirstOrDefault())
        {
            case "virtual":
                Console.WriteLine($"virtual-time fires ({MachineLoad.Describe()})");
                VirtualFireMeasurement.Run(Console.Out);
                return true;
            case "arm-cancel":
                var armCancel = ArmCancelMeasurement.Run();
                Console.WriteLine($"set_callback+start+cancel: {armCancel.NanosecondsPerOp:F1} ns/op wall, " +
                    $"{armCancel.CpuNanosecondsPerOp:F1} ns/op CPU ({MachineLoad.Describe()})");
                return true;
            case "lateness":
                LatenessMeasurement.WarmUp();
                foreach (var priority in new[] { 0, KernelCompare.FifoPriority })
                {
                    var policy = priority == 0 ? "normal thread" : $"SCHED_FIFO {priority}";
                    Console.WriteLine($"1 ms periodic, {policy}   ({MachineLoad.Describe()})");
                    PrintLateness(LatenessMeasurement.Periodic(priority));
                    Console.WriteLine($"10,000 timers, {policy}   ({MachineLoad.Describe()})");
                    PrintLateness(LatenessMeasurement.Many(priority));
                }

                return true;
            case "runtime-arm-cancel":
                foreach (var mode in new[] { ExecutionMode.Checked, ExecutionMode.Unchecked })
                {
                    var runtime = RuntimeArmCancelMeasurement.Run(args.Length > 1 ? args[1] : DefaultObjectPath(), mode);
                    Console.WriteLine($"timer_bench.o arm_cancel through BpfObject, {mode}: {runtime.NanosecondsPerOp:F1} ns/op " +
                        $"(loop {runtime.LoopNanosecondsPerIteration:F1} subtracted), " +
                        $"{RuntimeArmCancelMeasurement.LastAllocatedBytesPerOp:F2} B/op allocated ({MachineLoad.Describe()})");
                }

                return true;
            case "kernel-many":
                var many = new KernelTimerMeasurement(args.Length > 1 ? args[1] : DefaultObjectPath());
                Console.WriteLine($"kernel, 10,000 timers: {many.Many()} after {many.InitRuns} init runs ({MachineLoad.Describe()})");
                return true;
            case "kernel-compare":
                exitCode = KernelCompare.Run(args.Length > 1 ? args[1] : DefaultObjectPath(), Console.Out);
                return true;
            default:
                return false;
        }
    }

    private static void PrintLateness(LatenessMeasurement.Result result)
    {
        Console.WriteLine($"  observer  {result.Observer}");
        Console.WriteLine($"  callback  {result.Callback}");
    }

    private static string DefaultObjectPath() => Path.Combine(AppContext.BaseDirectory, "kernel", "timer_bench.o");
}

/// <summary>The load average, printed next to every figure: the machine is shared.</summary>
internal static class MachineLoad
{
    public static string Describe()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"load {fields[0]} {fields[1]} {fields[2]}, {Environment.ProcessorCount} CPUs";
        }
        catch (IOException)
        {
            return "load unknown";
        }
    }
}

/// <summary>Both worlds in one run and one table: SharpBpf's figure, Linux's, and SharpBpf / Linux.</summary>
internal static class KernelCompare
{
    /// <summary>The SCHED_FIFO priority the second lateness run gives SharpBpf's driver thread.</summary>
    public const int FifoPriority = 10;

    public static int Run(string objectPath, TextWriter output)
    {
        var unavailable = KernelAvailability.Check();
        if (unavailable is null && !File.Exists(objectPath))
        {
            unavailable = $"{objectPath} not found";
        }

        var kernel = unavailable is null ? new KernelTimerMeasurement(objectPath) : null;
        output.WriteLine($"# SharpBpf timers vs Linux {Environment.OSVersion.Version} bpf_timer, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        if (kernel is null)
        {
            output.WriteLine($"# kernel side unavailable: {unavailable}");
        }

        var rows = new List<string[]>();
        void Row(string what, string sharp, string linux, string ratio, string load) => rows.Add([what, sharp, linux, ratio, load]);

        var load = MachineLoad.Describe();
        var sharpArm = ArmCancelMeasurement.Run();
        var linuxArm = kernel?.ArmCancel();
        // The kernel's test-run clock pauses while the task is rescheduled between repetitions, so its figure is time
        // on the CPU; SharpBpf's thread CPU time is the like-for-like figure, wall time is shown too.
        Row("arm+cancel (set_callback+start+cancel), ns/op on CPU", $"{sharpArm.CpuNanosecondsPerOp:F1}",
            linuxArm is null ? "n/a" : $"{linuxArm.NanosecondsPerOp:F1} (loop {linuxArm.LoopNanosecondsPerIteration:F1} subtracted)",
            linuxArm is null ? "" : $"{sharpArm.CpuNanosecondsPerOp / linuxArm.NanosecondsPerOp:F2}", load);
        Row("arm+cancel, ns/op wall clock", $"{sharpArm.NanosecondsPerOp:F1}",
            linuxArm is null ? "n/a" : $"{linuxArm.NanosecondsPerOp:F1}",
            linuxArm is null ? "" : $"{sharpArm.NanosecondsPerOp / linuxArm.NanosecondsPerOp:F2}", load);

        // The same BPF object in both worlds: timer_bench.o's arm_cancel run by SharpBpf's runtime (helper dispatch,
        // argument checks, map adapter, callback binding included), in the default checked mode and unchecked.
        foreach (var mode in new[] { ExecutionMode.Checked, ExecutionMode.Unchecked })
        {
            load = MachineLoad.Describe();
            var runtimeArm = File.Exists(objectPath) ? RuntimeArmCancelMeasurement.Run(objectPath, mode) : null;
            Row($"arm+cancel, timer_bench.o arm_cancel run by BpfObject ({mode.ToString().ToLowerInvariant()}), ns/op",
                runtimeArm is null ? "n/a" : $"{runtimeArm.NanosecondsPerOp:F1} (loop {runtimeArm.LoopNanosecondsPerIteration:F1} subtracted)",
                linuxArm is null ? "n/a" : $"{linuxArm.NanosecondsPerOp:F1}",
                runtimeArm is null || linuxArm is null ? "" : $"{runtimeArm.NanosecondsPerOp / linuxArm.NanosecondsPerOp:F2}", load);
        }

        load = MachineLoad.Describe();
        var sharpArmLoaded = ArmCancelMeasurement.Run(otherArmed: 1_000_000);
        Row("arm+cancel with 1,000,000 other timers armed, ns/op on CPU", $"{sharpArmLoaded.CpuNanosecondsPerOp:F1} (wall {sharpArmLoaded.NanosecondsPerOp:F1})",
            "", "", load);

        foreach (var fires in VirtualFireMeasurement.Run(TextWriter.Null))
        {
            Row($"virtual fires/s, {fires.Name}", $"{fires.FiresPerSecond / 1e6:F2} M wall ({fires.FiresPerCpuSecond / 1e6:F2} M per CPU s)",
                "n/a (no virtual time)", "", MachineLoad.Describe());
        }

        LatenessMeasurement.WarmUp();

        // Both worlds run at the same time (the kernel's timers tick while SharpBpf measures), once per driver policy:
        // the machine's load moves too much between runs for sequential figures to compare.
        Func<Action, LatenessStats>? kernelPeriodic = kernel is null ? null : kernel.Periodic;
        Func<Action, LatenessStats>? kernelMany = kernel is null ? null : kernel.Many;
        foreach (var priority in new[] { 0, FifoPriority })
        {
            var policy = priority == 0 ? "normal driver thread (opt-out)" : $"SCHED_FIFO {priority} driver thread (default)";
            Lateness($"1 ms periodic timer, {policy}", () => LatenessMeasurement.Periodic(priority), kernelPeriodic, Row);
            Lateness($"10,000 concurrent timers, {policy}", () => LatenessMeasurement.Many(priority), kernelMany, Row);

            // After the kernel's 10,000 timers are freed (their object closes), the kernel's own timers fire
            // milliseconds late for a second or two, with no SharpBpf thread running (a kernel-only periodic run right
            // after: p99 1.9 ms, the next one 61 µs). Whatever runs next would be measured in that wake: let it pass.
            Thread.Sleep(TimeSpan.FromSeconds(3));
        }

        Print(output, rows);
        return 0;
    }

    private static void Lateness(string name, Func<LatenessMeasurement.Result> sharp, Func<Action, LatenessStats>? linux,
        Action<string, string, string, string, string> row)
    {
        var load = MachineLoad.Describe();
        LatenessMeasurement.Result? measured = null;
        var k = linux?.Invoke(() => measured = sharp());
        var s = measured ?? sharp();
        var loadAfter = MachineLoad.Describe();
        static string Us(long ns) => $"{ns / 1e3:F1}";
        static string Ratio(long a, long b) => b > 0 ? $"{(double)a / b:F2}" : "";
        row($"lateness µs, {name}: p50", $"{Us(s.Callback.P50)} (observer {Us(s.Observer.P50)})", k is null ? "n/a" : Us(k.Value.P50),
            k is null ? "" : Ratio(s.Callback.P50, k.Value.P50), load);
        row($"lateness µs, {name}: p99", $"{Us(s.Callback.P99)} (observer {Us(s.Observer.P99)})", k is null ? "n/a" : Us(k.Value.P99),
            k is null ? "" : Ratio(s.Callback.P99, k.Value.P99), loadAfter);
        row($"lateness µs, {name}: max", $"{Us(s.Callback.Max)} (observer {Us(s.Observer.Max)})", k is null ? "n/a" : Us(k.Value.Max),
            k is null ? "" : Ratio(s.Callback.Max, k.Value.Max), loadAfter);
    }

    private static void Print(TextWriter output, List<string[]> rows)
    {
        string[] header = ["measurement", "SharpBpf", "Linux", "SharpBpf/Linux", "machine load (1/5/15 min)"];
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        void Line(string[] cells) => output.WriteLine("| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |");
        Line(header);
        output.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var r in rows)
        {
            Line(r);
        }
    }
}

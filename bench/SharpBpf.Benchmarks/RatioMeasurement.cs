using System.Globalization;
using SharpBpf.Execution;
using SharpBpf.Kernel;
using SharpBpf.Runtime;

namespace SharpBpf.Benchmarks;

/// <summary>
/// The same-run ratio benchmark (<c>ratio</c> mode, <c>bench/ratio.sh</c>): every workload of bench/ratio/ratio.o run by
/// Linux (BPF_PROG_TEST_RUN with repeat) and by SharpBpf (JIT and interpreter) on the same object, frame and repeat,
/// in interleaved rounds (world after world, round after round) so load changes on a shared machine hit all worlds
/// alike. Reports the median ns per run, the spread (min–max over rounds) and the ratio of medians to Linux.
/// A run that does not return XDP_PASS stops the benchmark: a figure from a failing path means nothing.
/// </summary>
internal static class RatioMeasurement
{
    private const uint XdpPass = 2;

    public sealed record Options(string ObjectPath, int Rounds, int TargetMicroseconds, string[] Filter, string[] Worlds, bool CpuTime);

    public static Options Parse(string[] args)
    {
        var objectPath = Path.Combine(BenchPaths.RepositoryRoot, "bench", "ratio", "ratio.o");
        int rounds = 7, target = 20_000;
        string[] filter = [], worlds = ["linux", "jit", "jit-checked", "interp"];
        var cpuTime = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--object": objectPath = args[++i]; break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--target-us": target = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--filter": filter = args[++i].Split(','); break;
                case "--worlds": worlds = args[++i].Split(','); break;
                case "--cpu-time": cpuTime = true; break;
                default: throw new ArgumentException($"ratio: unknown option {args[i]} (--object, --rounds, --target-us, --filter, --worlds, --cpu-time)");
            }
        }

        return new Options(objectPath, rounds, target, filter, worlds, cpuTime);
    }

    public static int Run(Options options, TextWriter output)
    {
        if (options.Worlds.Contains("linux") && KernelAvailability.Check() is { } reason)
        {
            output.WriteLine($"the kernel side is not available: {reason}");
            return 1;
        }

        var packet = UdpFrame();
        var worlds = options.Worlds.Select(name => Open(name, options.ObjectPath, options.CpuTime)).ToList();
        try
        {
            var programs = worlds[0].ProgramNames.ToList();
            foreach (var world in worlds)
            {
                foreach (var setup in programs.Where(p => p.StartsWith("setup_", StringComparison.Ordinal) && IsNeeded(p, options.Filter)))
                {
                    Expect(world, setup, world.Run(setup, packet, 1).ReturnValue);
                }
            }

            var workloads = programs
                .Where(p => !p.StartsWith("setup_", StringComparison.Ordinal) && p != "tail_target")
                .Where(p => options.Filter.Length == 0 || options.Filter.Contains(p))
                .ToList();
            output.WriteLine($"ratio: {Path.GetFileName(options.ObjectPath)}, {options.Rounds} interleaved rounds, " +
                $"~{options.TargetMicroseconds} µs per test run, CPU affinity {AffinityDescription()}, {MachineLoad.Describe()}");
            output.WriteLine($"ns per run: median [min–max]; ratio = median / Linux median" +
                (options.CpuTime ? "; SharpBpf: thread CPU time per run (--cpu-time)" : ""));
            output.WriteLine();
            var header = $"{"workload",-20} {"repeat",7}" + string.Concat(worlds.Select(w => $" {w.Name,24}")) +
                string.Concat(worlds.Where(w => !w.IsKernel).Select(w => $" {"÷linux " + w.Name,18}"));
            output.WriteLine(header);
            foreach (var workload in workloads)
            {
                var repeat = ChooseRepeat(worlds, workload, packet, options.TargetMicroseconds);
                if (workload == "ringbuf_output")
                {
                    repeat = Math.Min(repeat, RingbufOutputRuns / options.Rounds);
                }

                var samples = worlds.Select(_ => new List<double>()).ToList();
                for (var round = 0; round < options.Rounds; round++)
                {
                    for (var w = 0; w < worlds.Count; w++)
                    {
                        var (value, ns) = worlds[w].Run(workload, packet, repeat);
                        Expect(worlds[w], workload, value);
                        samples[w].Add(ns);
                    }
                }

                var kernelIndex = worlds.FindIndex(w => w.IsKernel);
                var line = $"{workload,-20} {repeat,7}" + string.Concat(samples.Select(s => $" {Describe(s),24}"));
                for (var w = 0; w < worlds.Count; w++)
                {
                    if (worlds[w].IsKernel) continue;
                    line += kernelIndex < 0 ? $" {"",18}" : $" {Ratio(Median(samples[w]), Median(samples[kernelIndex])),18}";
                }

                output.WriteLine(line);
            }
        }
        finally
        {
            foreach (var world in worlds)
            {
                world.Dispose();
            }
        }

        return 0;
    }

    /// <summary>
    /// setup_X prepares the workloads named X… (setup_timers: timer_*): with a filter, only the setups of the chosen
    /// workloads run, so a kernel that refuses one setup (bpf_timer_init's -ENOMEM, see bench/README.md) does not stop
    /// the others.
    /// </summary>
    private static bool IsNeeded(string setup, string[] filter)
    {
        var prefix = setup["setup_".Length..].TrimEnd('s');
        return filter.Length == 0 || filter.Any(w => w.StartsWith(prefix, StringComparison.Ordinal));
    }

    private static RatioWorld Open(string name, string path, bool cpuTime) => name switch
    {
        "linux" => RatioWorld.Kernel(path),
        "jit" => RatioWorld.SharpBpf(path, EngineKind.Jit, ExecutionMode.ProvenUnchecked, cpuTime),
        "jit-checked" => RatioWorld.SharpBpf(path, EngineKind.Jit, ExecutionMode.Checked, cpuTime),
        "jit-unchecked" => RatioWorld.SharpBpf(path, EngineKind.Jit, ExecutionMode.Unchecked, cpuTime),
        "interp" => RatioWorld.SharpBpf(path, EngineKind.Interpreter, ExecutionMode.ProvenUnchecked, cpuTime),
        "interp-checked" => RatioWorld.SharpBpf(path, EngineKind.Interpreter, ExecutionMode.Checked, cpuTime),
        "interp-unchecked" => RatioWorld.SharpBpf(path, EngineKind.Interpreter, ExecutionMode.Unchecked, cpuTime),
        _ => throw new ArgumentException($"ratio: unknown world '{name}' (linux, jit, jit-checked, jit-unchecked, interp, interp-checked, interp-unchecked)"),
    };

    /// <summary>
    /// Runs of <c>ringbuf_output</c> one world's 64 MiB ring holds: nothing consumes it, and each run writes 8 records
    /// of 24 bytes (header included); less the warm-up runs. More runs fill the ring and the program returns XDP_DROP
    /// (Linux's first, once SharpBpf is the faster world and the repeat is sized for Linux).
    /// </summary>
    private const int RingbufOutputRuns = (64 << 20) / (8 * 24) - 1_000;

    /// <summary>
    /// A repeat count that makes one test run last about <paramref name="targetMicroseconds"/> in the slowest world
    /// (so the fastest does not measure its clock's granularity), also warming every world up.
    /// </summary>
    private static int ChooseRepeat(List<RatioWorld> worlds, string workload, byte[] packet, int targetMicroseconds)
    {
        var slowest = 1.0;
        foreach (var world in worlds)
        {
            for (var warm = 0; warm < 3; warm++)
            {
                var (value, ns) = world.Run(workload, packet, 100);
                Expect(world, workload, value);
                if (warm == 2) slowest = Math.Max(slowest, ns);
            }
        }

        return (int)Math.Clamp(targetMicroseconds * 1000.0 / slowest, 10, 1_000_000);
    }

    private static void Expect(RatioWorld world, string program, uint value)
    {
        if (value != XdpPass)
        {
            throw new InvalidOperationException($"{world.Name}: {program} returned {value}, not XDP_PASS");
        }
    }

    private static string Describe(List<double> samples) =>
        $"{Format(Median(samples))} [{Format(samples.Min())}–{Format(samples.Max())}]";

    private static string Format(double ns) => ns >= 10_000 ? $"{ns / 1000:F1}µ" : ns.ToString(ns >= 100 ? "F0" : "F1", CultureInfo.InvariantCulture);

    private static string Ratio(double value, double reference) =>
        reference <= 0 ? "n/a" : (value / reference).ToString("F2", CultureInfo.InvariantCulture) + "×";

    private static double Median(List<double> samples)
    {
        var sorted = samples.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string AffinityDescription()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "unknown";
        }

        try
        {
            var mask = (long)System.Diagnostics.Process.GetCurrentProcess().ProcessorAffinity;
            var cpus = Enumerable.Range(0, 64).Where(bit => (mask & (1L << bit)) != 0);
            return "CPU " + string.Join(",", cpus);
        }
        catch (PlatformNotSupportedException)
        {
            return "unknown";
        }
    }

    /// <summary>A 64-byte Ethernet/IPv4/UDP frame (10.0.0.1:1234 → 10.0.0.2:4321) that packet_parse accepts.</summary>
    private static byte[] UdpFrame()
    {
        var frame = new byte[64];
        byte[] header =
        [
            0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
            0x45, 0, 0, 46, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
            0x04, 0xd2, 0x10, 0xe1, 0, 26, 0, 0,
        ];
        header.CopyTo(frame, 0);
        return frame;
    }
}

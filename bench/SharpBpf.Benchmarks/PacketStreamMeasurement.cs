using System.Diagnostics;
using System.Globalization;
using SharpBpf.Runtime;

namespace SharpBpf.Benchmarks;

/// <summary>
/// <c>packets [OBJ PROG PACKET.bin]...</c>: packets per second on one core through <see cref="PacketRunner"/>, the
/// stream API a host or a replay uses (one prepared context, nothing allocated per packet). By default the empty
/// program of bench/ratio and examples/packet_parser.o on a UDP packet. Best of 5 rounds of 2 s, in checked,
/// proven-unchecked (BpfObject's default) and unchecked mode; per wall-clock second and per second of the thread's CPU time.
/// </summary>
internal static class PacketStreamMeasurement
{
    public static int Run(string[] args, TextWriter output)
    {
        var root = BenchPaths.RepositoryRoot;
        var cases = new List<(string Object, string Program, string Packet)>();
        for (var i = 0; i + 2 < args.Length; i += 3) cases.Add((args[i], args[i + 1], args[i + 2]));
        if (cases.Count == 0)
        {
            var udp = Path.Combine(root, "examples/packets/ipv4_udp.bin");
            cases.Add((Path.Combine(root, "bench/ratio/ratio.o"), "empty", udp));
            cases.Add((Path.Combine(root, "examples/packet_parser.o"), "parse_packet", udp));
            cases.Add((Path.Combine(root, "examples/conntrack_timers.o"), "track_connections", udp));
        }

        foreach (var mode in new[] { Execution.ExecutionMode.Checked, Execution.ExecutionMode.ProvenUnchecked, Execution.ExecutionMode.Unchecked })
        {
            foreach (var (path, program, packetPath) in cases)
            {
                if (!File.Exists(path))
                {
                    output.WriteLine($"{path}: missing (build bench/ratio first)");
                    continue;
                }

                using var obj = BpfObject.Load(path, new BpfObjectOptions { Mode = mode });
                var packet = File.ReadAllBytes(packetPath);
                using var runner = obj.Programs[program].CreatePacketRunner();
                var best = 0.0;
                var bestCpu = 0.0;
                for (var round = 0; round < 5; round++)
                {
                    long count = 0;
                    var start = Stopwatch.GetTimestamp();
                    var cpuStart = ThreadCpuClock.Nanoseconds();
                    while (Stopwatch.GetElapsedTime(start).TotalSeconds < 2)
                    {
                        for (var i = 0; i < 4096; i++) runner.Run(packet);
                        count += 4096;
                    }

                    best = Math.Max(best, count / Stopwatch.GetElapsedTime(start).TotalSeconds);
                    bestCpu = Math.Max(bestCpu, count / ((ThreadCpuClock.Nanoseconds() - cpuStart) / 1e9));
                }

                // Per CPU second too: on a shared machine the wall clock also counts the time other processes held the CPU.
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Path.GetFileName(path),-24} {program,-20} {mode,-16} {best / 1e6,8:F2} M packets/s  {bestCpu / 1e6,8:F2} M per CPU second"));
            }
        }

        return 0;
    }
}

namespace SharpBpf.Benchmarks;

/// <summary>
/// The console modes of the benchmark program for timers: <c>virtual</c> (fires per second in virtual time),
/// <c>lateness</c> (real-clock lateness of SharpBpf's driver) and <c>kernel-compare</c> (all of it next to the same
/// measurements made by the machine's kernel, with ratios). Anything else goes to BenchmarkDotNet.
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
            default:
                return false;
        }
    }
}

/// <summary>The load average, printed next to every figure: the machine is shared.</summary>
internal static class MachineLoad
{
    public static string Describe()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"load average {fields[0]} {fields[1]} {fields[2]}, {Environment.ProcessorCount} CPUs";
        }
        catch (IOException)
        {
            return "load average unknown";
        }
    }
}

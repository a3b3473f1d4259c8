using BenchmarkDotNet.Running;

namespace SharpBpf.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        if (TimerModes.TryRun(args, out var exitCode))
        {
            return exitCode;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}

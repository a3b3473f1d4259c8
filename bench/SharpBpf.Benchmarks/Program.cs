using BenchmarkDotNet.Running;

namespace SharpBpf.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "proof-fuzz")
        {
            return ProofFuzzMode.Run(args);
        }

        if (TimerModes.TryRun(args, out var exitCode))
        {
            return exitCode;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}

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

        if (args.FirstOrDefault() == "ratio")
        {
            return RatioMeasurement.Run(RatioMeasurement.Parse(args), Console.Out);
        }

        if (args.FirstOrDefault() == "jit-compile")
        {
            return JitCompileMeasurement.Run(args[1..], Console.Out);
        }

        if (args.FirstOrDefault() == "packets")
        {
            return PacketStreamMeasurement.Run(args[1..], Console.Out);
        }

        if (args.FirstOrDefault() == "proof-coverage")
        {
            return ProofCoverageMeasurement.Run(args[1..], Console.Out);
        }

        if (args.FirstOrDefault() == "verify-time")
        {
            return VerifyTimeMeasurement.Run(args[1..], Console.Out);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}

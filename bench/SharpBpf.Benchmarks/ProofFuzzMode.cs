using System.Diagnostics;
using SharpBpf.Tests.Soundness;

namespace SharpBpf.Benchmarks;

/// <summary>
/// <c>proof-fuzz [PROGRAMS] [SEED]</c>: the soundness fuzz of tests/SharpBpf.Tests/Soundness at scale — PROGRAMS
/// generated programs (default 10,000,000) split over every core in rounds of 100,000 per thread (seeds SEED, SEED+1, …), then mutations of the corpus and example objects.
/// Prints the counts and every broken proof; exit code 1 when a proven access faulted.
/// </summary>
internal static class ProofFuzzMode
{
    public static int Run(string[] args)
    {
        var programs = args.Length > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000_000;
        var seed = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
        var threads = Environment.ProcessorCount;
        Console.WriteLine($"proof-fuzz: {programs:N0} generated programs on {threads} threads, seeds {seed}..{seed + threads - 1}");
        var clock = Stopwatch.StartNew();
        // Rounds of 100,000 programs per thread, each round with fresh seeds, so progress shows as it goes.
        const long Round = 100_000;
        var generated = new FuzzCounts();
        for (long done = 0, round = 0; done < programs; round++)
        {
            var thisRound = Math.Min(Round * threads, programs - done);
            var parts = new FuzzCounts[threads];
            var firstSeed = seed + (int)(round * threads);
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
                parts[t] = ProofFuzzer.Generated(firstSeed + t, thisRound / threads + (t < thisRound % threads ? 1 : 0)));
            foreach (var part in parts)
            {
                generated.Add(part);
            }

            done += thisRound;
            Console.WriteLine($"  {clock.Elapsed.TotalSeconds:F0} s: {generated}");
        }

        Console.WriteLine($"generated: {generated} in {clock.Elapsed.TotalSeconds:F0} s");
        clock.Restart();
        var mutated = new FuzzCounts();
        var perProgram = Math.Max(1, programs / 1000);
        foreach (var folder in new[] { Path.Combine(BenchPaths.RepositoryRoot, "tests", "SharpBpf.Tests", "Data", "corpus"), BenchPaths.ExamplesDirectory })
        {
            mutated.Add(ProofFuzzer.Mutated(seed, folder, perProgram));
        }

        Console.WriteLine($"mutated corpus and examples ({perProgram:N0} per program): {mutated} in {clock.Elapsed.TotalSeconds:F0} s");
        foreach (var failure in generated.Failures.Concat(mutated.Failures))
        {
            Console.WriteLine(failure);
        }

        return generated.Failures.Count + mutated.Failures.Count == 0 ? 0 : 1;
    }
}

using System.Globalization;
using SharpBpf.Loader;
using SharpBpf.Runtime;
using SharpBpf.Verifier;

namespace SharpBpf.Benchmarks;

/// <summary>
/// <c>proof-coverage [--list] [DIR...]</c>: over every program the verifier accepts in the corpus folders (Data/corpus,
/// verifier, realworld, generated/objects, timers and the examples by default), how many of the memory instructions
/// it reached it proved in bounds (they run unchecked), by region, and why the others were not proven. --list names
/// each unproven one: object, program, slot, instruction, reason. The memory arguments of helper calls are counted
/// the same way in a second table (a proven one is not checked by the helpers that use the proof).
/// </summary>
internal static class ProofCoverageMeasurement
{
    public static int Run(string[] args, TextWriter output)
    {
        var root = BenchPaths.RepositoryRoot;
        bool list = args.Contains("--list");
        var folders = args.Where(a => a != "--list").ToArray();
        var data = Path.Combine(root, "tests", "SharpBpf.Tests", "Data");
        var dirs = folders.Length > 0 ? folders : [
            Path.Combine(data, "corpus"), Path.Combine(data, "verifier"), Path.Combine(data, "realworld"),
            Path.Combine(data, "generated", "objects"), Path.Combine(data, "timers"), BenchPaths.ExamplesDirectory];
        var byFolder = new List<(string Folder, Tally Tally, Tally Arguments)>();
        var total = new Tally();
        var totalArguments = new Tally();
        foreach (var dir in dirs)
        {
            var tally = new Tally();
            var arguments = new Tally();
            foreach (var path in Directory.EnumerateFiles(dir, "*.o").Order(StringComparer.Ordinal))
            {
                CollectionSpec spec;
                try
                {
                    spec = ObjectLoader.LoadFile(path);
                }
                catch (BpfException)
                {
                    continue; // objects only the loader tests use
                }

                foreach (var program in spec.Programs.Where(p => !p.IsOptional))
                {
                    var result = ObjectVerifier.Verify(spec, program);
                    if (!result.Accepted)
                    {
                        continue;
                    }

                    tally.Programs++;
                    arguments.Programs++;
                    var code = program.Instructions;
                    for (var slot = 0; slot < result.AccessProofs.Length; slot++)
                    {
                        var proof = result.AccessProofs[slot];
                        tally.Count(proof);
                        if (!proof.Proven && proof.Reason != UnprovenReason.None)
                        {
                            if (list)
                            {
                                var insn = KernelInstructionFormatter.Format(code[slot], slot + 1 < code.Length ? code[slot + 1] : null, pc: slot);
                                output.WriteLine($"{Path.GetRelativePath(root, path)} {program.Name} {slot}: {insn}  [{proof.Reason}]");
                            }
                        }
                    }

                    foreach (var (argument, proof) in result.HelperArgumentProofs.OrderBy(p => p.Key.Call).ThenBy(p => p.Key.Register))
                    {
                        arguments.Count(proof);
                        if (list && !proof.Proven)
                        {
                            var insn = KernelInstructionFormatter.Format(code[argument.Call], null, pc: argument.Call);
                            output.WriteLine($"{Path.GetRelativePath(root, path)} {program.Name} {argument.Call} R{argument.Register}: {insn}  [{proof.Reason}]");
                        }
                    }
                }
            }

            byFolder.Add((Path.GetRelativePath(root, dir), tally, arguments));
            total.Add(tally);
            totalArguments.Add(arguments);
        }

        var all = byFolder.Append((Folder: "all", Tally: total, Arguments: totalArguments)).ToArray();
        WriteTable(output, "loads, stores and atomics", all.Select(f => (f.Folder, f.Tally)), total);
        WriteTable(output, "helper memory arguments", all.Select(f => (f.Folder, f.Arguments)), totalArguments);
        return 0;
    }

    private static void WriteTable(TextWriter output, string what, IEnumerable<(string Folder, Tally Tally)> rows, Tally total)
    {
        output.WriteLine($"{what}:");
        output.WriteLine($"{"folder",-44} {"programs",8} {"proven",8} {"total",8} {"share",7}");
        foreach (var (folder, tally) in rows)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{folder,-44} {tally.Programs,8} {tally.Proven,8} {tally.Total,8} {tally.Share,7:P1}"));
        }

        output.WriteLine("proven, by region:");
        foreach (var (regions, count) in total.ProvenRegions.OrderByDescending(p => p.Value))
        {
            output.WriteLine($"  {regions,-30} {count,8}");
        }

        output.WriteLine("unproven, by reason:");
        foreach (var (reason, count) in total.Reasons.OrderByDescending(p => p.Value))
        {
            output.WriteLine($"  {reason,-30} {count,8}");
        }
    }

    private sealed class Tally
    {
        public int Programs;
        public int Proven;
        public readonly Dictionary<AccessRegions, int> ProvenRegions = [];
        public readonly Dictionary<UnprovenReason, int> Reasons = [];

        public int Total => Proven + Reasons.Values.Sum();

        public double Share => Total == 0 ? 1 : (double)Proven / Total;

        /// <summary>One memory instruction or argument the walk reached (an unreached one has neither proof nor reason).</summary>
        public void Count(AccessProof proof)
        {
            if (proof.Proven)
            {
                Proven++;
                ProvenRegions[proof.Regions] = ProvenRegions.GetValueOrDefault(proof.Regions) + 1;
            }
            else if (proof.Reason != UnprovenReason.None)
            {
                Reasons[proof.Reason] = Reasons.GetValueOrDefault(proof.Reason) + 1;
            }
        }

        public void Add(Tally other)
        {
            Programs += other.Programs;
            Proven += other.Proven;
            foreach (var (regions, count) in other.ProvenRegions)
            {
                ProvenRegions[regions] = ProvenRegions.GetValueOrDefault(regions) + count;
            }

            foreach (var (reason, count) in other.Reasons)
            {
                Reasons[reason] = Reasons.GetValueOrDefault(reason) + count;
            }
        }
    }
}

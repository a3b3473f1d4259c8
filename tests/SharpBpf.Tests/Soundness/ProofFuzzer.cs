using System.Collections.Immutable;
using SharpBpf.Isa;
using SharpBpf.Loader;
using SharpBpf.Runtime;

namespace SharpBpf.Tests.Soundness;

/// <summary>What a fuzz run counted, and every program that broke a proof (with how to reproduce it).</summary>
internal sealed class FuzzCounts
{
    public long Programs;
    public long Accepted;
    public long Runs;
    public long CheckedFaults;
    public long ProvenSlots;
    public long CallerMemorySlots;
    public long ProvenAtomics;
    public long ProvenHelperArguments;
    public readonly List<string> Failures = [];

    public void Add(FuzzCounts other)
    {
        Programs += other.Programs;
        Accepted += other.Accepted;
        Runs += other.Runs;
        CheckedFaults += other.CheckedFaults;
        ProvenSlots += other.ProvenSlots;
        CallerMemorySlots += other.CallerMemorySlots;
        ProvenAtomics += other.ProvenAtomics;
        ProvenHelperArguments += other.ProvenHelperArguments;
        Failures.AddRange(other.Failures);
    }

    public override string ToString() =>
        $"{Programs:N0} programs, {Accepted:N0} accepted, {Runs:N0} checked runs ({CheckedFaults:N0} faulted where nothing was proven), " +
        $"{ProvenSlots:N0} proven accesses ({CallerMemorySlots:N0} through global functions' memory arguments, {ProvenAtomics:N0} atomics), " +
        $"{ProvenHelperArguments:N0} proven helper memory arguments, {Failures.Count} proofs broken";
}

/// <summary>
/// The soundness fuzz of issue 9 item 4: programs from <see cref="RandomProgramGenerator"/> and mutations of the
/// corpus objects, each verified and, when accepted, run in checked mode on random inputs (<see cref="FuzzWorld"/>).
/// Shared by the test (a fixed and a random seed) and the benchmark's console mode (millions).
/// </summary>
internal static class ProofFuzzer
{
    public const int InputsPerProgram = 3;
    private const int MaxFailuresKept = 20;

    /// <summary>Generated programs; the i-th one of a seed is always the same program.</summary>
    public static FuzzCounts Generated(int seed, long programs)
    {
        var counts = new FuzzCounts();
        using var world = FuzzWorld.ForGeneratedPrograms();
        var random = new Random(seed);
        var generator = new RandomProgramGenerator(random);
        for (long i = 0; i < programs; i++)
        {
            var code = generator.Next();
            var outcome = world.Judge(world.InputForGenerated(code), world.LinkGenerated(code), random, InputsPerProgram);
            Count(counts, outcome, () => $"generated program {i} of seed {seed}: {Hex(code)}");
        }

        return counts;
    }

    /// <summary>Mutations of every program of every corpus object, <paramref name="perProgram"/> each.</summary>
    public static FuzzCounts Mutated(int seed, string corpusFolder, long perProgram)
    {
        var counts = new FuzzCounts();
        var random = new Random(seed);
        var mutator = new InstructionMutator(random);
        var signatures = ObjectVerifier.SignaturesOf(null);
        foreach (var path in Directory.GetFiles(corpusFolder, "*.o").Order(StringComparer.Ordinal))
        {
            CollectionSpec spec;
            try
            {
                spec = ObjectLoader.LoadFile(path);
            }
            catch (BpfException)
            {
                continue;
            }

            foreach (var program in spec.Programs)
            {
                using var world = FuzzWorld.ForObject(spec, program.Type);
                var input = ObjectVerifier.InputFor(spec, program, signatures);
                var original = program.Instructions.ToArray();
                var linkedOriginal = world.LinkObjectProgram(program);
                var slots = InstructionMutator.MutableSlots(original);
                for (long i = 0; i < perProgram; i++)
                {
                    var code = original.ToArray();
                    var linked = linkedOriginal.ToArray();
                    // The first round runs the program as it is.
                    if (i > 0)
                    {
                        mutator.Mutate(code, linked, slots);
                    }

                    var outcome = world.Judge(input with { Instructions = [.. code] }, linked, random, InputsPerProgram);
                    Count(counts, outcome, () => $"{Path.GetFileName(path)} {program.Name} mutation {i} of seed {seed}: {Hex(code)}");
                }
            }
        }

        return counts;
    }

    private static void Count(FuzzCounts counts, FuzzOutcome outcome, Func<string> describe)
    {
        counts.Programs++;
        if (outcome.Verdict == FuzzVerdict.Rejected)
        {
            return;
        }

        counts.Accepted++;
        counts.Runs += outcome.Runs;
        counts.CheckedFaults += outcome.CheckedFaults;
        counts.ProvenSlots += outcome.ProvenSlots;
        counts.CallerMemorySlots += outcome.CallerMemorySlots;
        counts.ProvenAtomics += outcome.ProvenAtomics;
        counts.ProvenHelperArguments += outcome.ProvenHelperArguments;
        if (outcome.Verdict != FuzzVerdict.Sound && counts.Failures.Count < MaxFailuresKept)
        {
            counts.Failures.Add($"{outcome.Verdict}: {outcome.Detail}; {describe()}");
        }
        else if (outcome.Verdict != FuzzVerdict.Sound)
        {
            counts.Failures.Add(outcome.Verdict.ToString());
        }
    }

    private static string Hex(Instruction[] code) => Convert.ToHexString(Instruction.Encode(code));
}

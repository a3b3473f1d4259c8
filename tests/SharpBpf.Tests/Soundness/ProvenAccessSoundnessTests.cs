using SharpBpf.Tests.Support;
using Xunit.Abstractions;

namespace SharpBpf.Tests.Soundness;

/// <summary>
/// No access the verifier proved ever faults in fully checked mode (issue 9 item 4): random verifiable programs and
/// mutations of the corpus objects, each accepted one run on random packets, contexts and map contents. A fault on
/// an unproven access is allowed (checked mode contains it); on a proven one it is a verifier bug.
/// bench/SharpBpf.Benchmarks' <c>proof-fuzz</c> mode runs the same fuzz with millions of programs.
/// </summary>
public class ProvenAccessSoundnessTests(ITestOutputHelper output)
{
    // Two tests, two threads each: 100,000 programs per test run.
    private const int GeneratedPerThread = 25_000;
    private const int MutationsPerCorpusProgram = 20;

    [Fact]
    public void No_proven_access_faults_in_generated_programs_with_the_fixed_seeds() => Generated(20261207);

    [Fact]
    public void No_proven_access_faults_in_generated_programs_with_a_random_seed() => Generated(Random.Shared.Next());

    [Fact]
    public void No_proven_access_faults_in_mutated_corpus_and_example_programs()
    {
        var seed = Random.Shared.Next();
        var counts = ProofFuzzer.Mutated(seed, Path.Combine(TestPaths.TestData, "corpus"), MutationsPerCorpusProgram);
        counts.Add(ProofFuzzer.Mutated(seed, Path.Combine(TestPaths.RepoRoot, "examples"), MutationsPerCorpusProgram));
        output.WriteLine($"corpus and example mutations, seed {seed}: {counts}");
        Assert.True(counts.Failures.Count == 0, $"seed {seed}: {counts}\n{string.Join('\n', counts.Failures)}");
        Assert.True(counts.Accepted > 0 && counts.ProvenSlots > 0 && counts.ProvenHelperArguments > 0, counts.ToString());
    }

    /// <summary>Two threads (the machine's two cores), each its own world and seed derived from <paramref name="seed"/>.</summary>
    private void Generated(int seed)
    {
        var results = new FuzzCounts[2];
        CheckedThread.JoinAll(CheckedThread.StartAll(2, t => results[t] = ProofFuzzer.Generated(seed + t, GeneratedPerThread), "proof fuzz"));
        var total = new FuzzCounts();
        foreach (var part in results)
        {
            total.Add(part);
        }

        output.WriteLine($"generated, seeds {seed} and {seed + 1}: {total}");
        Assert.True(total.Failures.Count == 0, $"seeds {seed}, {seed + 1}: {total}\n{string.Join('\n', total.Failures)}");
        // The fuzz must exercise proofs at all: most programs are accepted and carry proven accesses.
        Assert.True(total.Accepted > total.Programs / 4 && total.ProvenSlots > total.Accepted, total.ToString());
        Assert.True(total.ProvenHelperArguments > total.Accepted / 4, total.ToString());
    }
}

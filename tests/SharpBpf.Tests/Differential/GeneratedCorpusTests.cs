using SharpBpf.Loader;
using SharpBpf.Runtime;
using SharpBpf.Tests.Support;
using SharpBpf.Verifier;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// Data/generated: small programs swept over the parameters where Linux's verdict turns (generate.py), each with the
/// verdict this machine's Linux gave (expected.txt, recorded by record.sh). SharpBpf must give the same verdict, and
/// for a rejection the same reason line and instruction. Where it does not yet, gaps.txt (written by compare.py)
/// says how it differs, and the case is a skipped test with that reason; a listed gap that has closed fails, so
/// the list shrinks as the verifier learns.
/// </summary>
public class GeneratedCorpusTests
{
    private static readonly string Folder = Path.Combine(TestPaths.TestData, "generated");

    private static readonly Lazy<Dictionary<string, (bool Accepted, int? Instruction, string? Reason)>> Expected = new(() =>
        File.ReadLines(Path.Combine(Folder, "expected.txt")).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' ', 4))
            .ToDictionary(p => p[0], p => p[1] == "accepted" ? (true, (int?)null, (string?)null)
                : (false, p[2] == "-" ? null : int.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture), p[3]), StringComparer.Ordinal));

    private static readonly Lazy<Dictionary<string, string>> Gaps = new(() =>
        File.ReadLines(Path.Combine(Folder, "gaps.txt")).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' ', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal));

    public static TheoryData<string> Programs => [.. Expected.Value.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_generated_source_has_an_object_and_a_recorded_verdict()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(Folder, "src"), "*.c").Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);
        Assert.True(sources.Count >= 400, $"{sources.Count} generated programs");
        Assert.All(sources, s => Assert.True(File.Exists(Path.Combine(Folder, "objects", s + ".o")), $"{s}.o is not built"));
        Assert.All(sources, s => Assert.True(Expected.Value.ContainsKey(s!), $"{s} has no recorded verdict"));
        Assert.All(Gaps.Value.Keys, g => Assert.Contains(g, Expected.Value.Keys));
    }

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void SharpBpf_gives_Linuxs_verdict(string name)
    {
        var (accepted, instruction, reason) = Expected.Value[name];
        var gap = Gaps.Value.GetValueOrDefault(name);
        var actual = Judge(name);
        var same = actual.Accepted == accepted && (accepted
            || (KernelText.SameReason(reason!, actual.Error ?? "") && (instruction is null || instruction == actual.InstructionIndex)));
        if (gap is not null)
        {
            Assert.False(same, $"{name} now gets Linux's verdict: remove it from gaps.txt (run compare.py)");
            Skip.If(true, gap);
        }

        Assert.True(same, accepted
            ? $"{name}: Linux accepts; SharpBpf rejects at insn {actual.InstructionIndex}: {actual.Error}"
            : $"{name}: Linux rejects at insn {instruction}: {reason}; SharpBpf {(actual.Accepted ? "accepts" : $"rejects at insn {actual.InstructionIndex}: {actual.Error}")}");
    }

    private static (bool Accepted, string? Error, int? InstructionIndex) Judge(string name)
    {
        try
        {
            var spec = ObjectLoader.LoadFile(Path.Combine(Folder, "objects", name + ".o"));
            var result = ObjectVerifier.Verify(spec, spec.FindProgram("prog")!, new VerifierOptions { LogLevel = 1 });
            return (result.Accepted, result.Error, result.InstructionIndex);
        }
        catch (BpfException e)
        {
            return (false, e.Message, null);
        }
    }
}

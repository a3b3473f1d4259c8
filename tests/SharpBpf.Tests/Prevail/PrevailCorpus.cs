using System.Globalization;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Prevail;

/// <summary>Data/prevail: PREVAIL's YAML cases, their translations, and the files recorded from them.</summary>
internal static class PrevailCorpus
{
    public static readonly string Folder = Path.Combine(TestPaths.TestData, "prevail");

    public static readonly Lazy<IReadOnlyList<PrevailTranslation>> Translations = new(() =>
        [.. Directory.EnumerateFiles(Folder, "*.yaml").Order(StringComparer.Ordinal)
            .Where(f => Path.GetFileName(f) != "test-schema.yaml")
            .SelectMany(PrevailCase.ReadFile).Select(PrevailTranslator.Translate)]);

    public static readonly Lazy<Dictionary<string, PrevailVerdict>> Expected = new(() => ReadVerdicts("expected.txt"));

    public static readonly Lazy<Dictionary<string, string>> Gaps = new(() =>
        File.ReadLines(Path.Combine(Folder, "gaps.txt")).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' ', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal));

    public static PrevailProgram Program(string id) => Translations.Value.Single(t => t.Case.Id == id).Program!;

    /// <summary>Lines <c>ID accepted</c> or <c>ID rejected INSN REASON</c> (INSN "-" where the log names none).</summary>
    public static string Format(string id, PrevailVerdict verdict) => verdict.Accepted
        ? $"{id} accepted"
        : $"{id} rejected {(verdict.Instruction is { } i ? i.ToString(CultureInfo.InvariantCulture) : "-")} {verdict.Reason}";

    /// <summary>Whether <paramref name="actual"/> is <paramref name="expected"/>: the verdict, and for a rejection the reason line and instruction.</summary>
    public static bool Same(PrevailVerdict expected, PrevailVerdict actual) =>
        expected.Accepted == actual.Accepted && (expected.Accepted
            || Differential.KernelText.SameReason(expected.Reason!, actual.Reason ?? "")
            && (expected.Instruction is null || expected.Instruction == actual.Instruction));

    private static Dictionary<string, PrevailVerdict> ReadVerdicts(string file) =>
        File.ReadLines(Path.Combine(Folder, file)).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' ', 4))
            .ToDictionary(p => p[0], p => p[1] == "accepted"
                ? new PrevailVerdict(true, null, null)
                : new PrevailVerdict(false, p[2] == "-" ? null : int.Parse(p[2], CultureInfo.InvariantCulture), p[3]), StringComparer.Ordinal);
}

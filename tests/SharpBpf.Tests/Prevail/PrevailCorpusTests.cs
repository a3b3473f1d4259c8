namespace SharpBpf.Tests.Prevail;

/// <summary>
/// PREVAIL's YAML cases (Data/prevail) that apply to Linux, translated into Linux programs (PrevailTranslator), each
/// with the verdict this machine's Linux gave (expected.txt, recorded by record.sh). SharpBpf must give the same
/// verdict, and for a rejection the same reason line and instruction. Where it does not yet, gaps.txt says how it
/// differs and the case is a skipped test with that reason; a listed gap that has closed fails.
/// </summary>
public class PrevailCorpusTests
{
    public static TheoryData<string> Cases =>
        [.. PrevailCorpus.Translations.Value.Where(t => t.Program is not null).Select(t => t.Case.Id)];

    [Fact]
    public void Every_translated_case_has_a_recorded_verdict_and_nothing_else_does()
    {
        var translated = PrevailCorpus.Translations.Value.Where(t => t.Program is not null).Select(t => t.Case.Id).ToHashSet(StringComparer.Ordinal);
        Assert.True(PrevailCorpus.Translations.Value.Count >= 790, $"{PrevailCorpus.Translations.Value.Count} cases read");
        Assert.Empty(translated.Except(PrevailCorpus.Expected.Value.Keys));
        Assert.Empty(PrevailCorpus.Expected.Value.Keys.Except(translated));
        Assert.Empty(PrevailCorpus.Gaps.Value.Keys.Except(translated));
    }

    [Fact]
    public void Every_skipped_case_names_why_it_does_not_apply_to_Linux()
    {
        Assert.All(PrevailCorpus.Translations.Value.Where(t => t.Program is null), t => Assert.False(string.IsNullOrWhiteSpace(t.SkipReason), t.Case.Id));
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void SharpBpf_gives_Linuxs_verdict(string id)
    {
        var expected = PrevailCorpus.Expected.Value[id];
        var actual = PrevailJudges.SharpBpf(PrevailCorpus.Program(id));
        var same = PrevailCorpus.Same(expected, actual);
        if (PrevailCorpus.Gaps.Value.GetValueOrDefault(id) is { } gap)
        {
            Assert.False(same, $"{id} now gets Linux's verdict: remove it from gaps.txt (run record.sh gaps)");
            Skip.If(true, gap);
        }

        Assert.True(same, $"{id}: Linux {PrevailCorpus.Format("", expected)}; SharpBpf {PrevailCorpus.Format("", actual)}");
    }
}

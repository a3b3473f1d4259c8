using System.Globalization;
using System.Text;
using SharpBpf.Kernel;

namespace SharpBpf.Tests.Prevail;

/// <summary>
/// Not a check: the recording step of Data/prevail/record.sh, run through the test runner because the translator
/// lives in this project. With SHARPBPF_PREVAIL_RECORD=linux it loads every translated case into this machine's
/// Linux and writes expected.txt and prevail-vs-linux.txt; with =linux or =gaps it then writes gaps.txt (where
/// SharpBpf differs from the recorded verdicts), skipped.txt and summary.txt. Without the variable it is skipped.
/// </summary>
public class PrevailRecorder
{
    private const string Variable = "SHARPBPF_PREVAIL_RECORD";

    [SkippableFact]
    public void Record()
    {
        var mode = Environment.GetEnvironmentVariable(Variable);
        Skip.If(mode is not ("linux" or "gaps"), $"records Data/prevail when {Variable}=linux|gaps (record.sh)");
        var translations = PrevailCorpus.Translations.Value;
        var programs = translations.Where(t => t.Program is not null).Select(t => t.Program!).ToList();
        if (mode == "linux")
        {
            Assert.Null(KernelAvailability.Check());
            var verdicts = programs.ToDictionary(p => p.Case.Id, PrevailJudges.Linux, StringComparer.Ordinal);
            Write("expected.txt", $"# Linux's verdicts on the translated PREVAIL cases, recorded by record.sh on {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}: ID accepted | ID rejected INSN REASON",
                programs.Select(p => PrevailCorpus.Format(p.Case.Id, verdicts[p.Case.Id])));
            Write("prevail-vs-linux.txt", "# Cases where PREVAIL's expected verdict differs from Linux's (not a failure: what each verifier proves differs)",
                programs.Where(p => p.Case.PrevailAccepts != verdicts[p.Case.Id].Accepted).Select(p =>
                    $"{p.Case.Id} ({p.Case.Name}): PREVAIL {(p.Case.PrevailAccepts ? "accepts" : "rejects: " + string.Join(" | ", p.Case.Messages))}; Linux {PrevailCorpus.Format("", verdicts[p.Case.Id]).Trim()}"));
        }

        var expected = PrevailCorpus.Expected.Value;
        var gaps = new List<string>();
        int agreeVerdict = 0, agreeExact = 0, falseAccepts = 0, falseRejects = 0;
        foreach (var program in programs)
        {
            var linux = expected[program.Case.Id];
            var ours = PrevailJudges.SharpBpf(program);
            if (PrevailCorpus.Same(linux, ours))
            {
                agreeVerdict++;
                agreeExact++;
                continue;
            }

            if (linux.Accepted != ours.Accepted)
            {
                if (ours.Accepted) falseAccepts++;
                else falseRejects++;
                gaps.Add(ours.Accepted
                    ? $"{program.Case.Id} false accept: Linux {PrevailCorpus.Format("", linux).Trim()}"
                    : $"{program.Case.Id} false reject: SharpBpf {PrevailCorpus.Format("", ours).Trim()}");
            }
            else
            {
                agreeVerdict++;
                gaps.Add($"{program.Case.Id} other reason: Linux {PrevailCorpus.Format("", linux).Trim()} | SharpBpf {PrevailCorpus.Format("", ours).Trim()}");
            }
        }

        Write("gaps.txt", "# Written by record.sh: where SharpBpf's verdict differs from Linux's today (the tests skip these)", gaps);
        var skipped = translations.Where(t => t.Program is null).ToList();
        Write("skipped.txt", "# PREVAIL cases that do not apply to Linux, with the reason", skipped.Select(t => $"{t.Case.Id} {t.SkipReason}"));
        var rejections = programs.Count(p => !expected[p.Case.Id].Accepted);
        var summary = new List<string>
        {
            $"cases {translations.Count}, translated {programs.Count}, skipped {skipped.Count}",
            $"Linux accepts {programs.Count - rejections}, rejects {rejections}",
            $"SharpBpf: verdicts agree on {agreeVerdict} of {programs.Count}; {falseAccepts} false accepts, {falseRejects} false rejects; "
            + $"{agreeExact - (programs.Count - rejections - falseRejects)} of {rejections} rejections with Linux's reason and instruction",
            $"PREVAIL's expected verdict differs from Linux's on {programs.Count(p => p.Case.PrevailAccepts != expected[p.Case.Id].Accepted)}",
        };
        summary.AddRange(skipped.GroupBy(t => Category(t.SkipReason!)).OrderByDescending(g => g.Count()).Select(g => $"skipped {g.Count()}: {g.Key}"));
        Write("summary.txt", "# Figures written by record.sh", summary);
    }

    /// <summary>A skip reason without the constraint or line it quotes.</summary>
    private static string Category(string reason)
    {
        var cut = reason.IndexOfAny(['(', '\'']);
        return (cut > 0 ? reason[..cut] : reason).Trim();
    }

    private static void Write(string file, string header, IEnumerable<string> lines)
    {
        var text = new StringBuilder(header).Append('\n');
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        File.WriteAllText(Path.Combine(PrevailCorpus.Folder, file), text.ToString());
    }
}

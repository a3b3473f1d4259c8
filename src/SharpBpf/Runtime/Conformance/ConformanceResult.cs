namespace SharpBpf.Runtime.Conformance;

internal enum ConformanceVerdict
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>What one <c>.data</c> file gave: the verdict and, for people, why.</summary>
internal sealed record ConformanceResult(string File, ConformanceVerdict Verdict, string Detail)
{
    /// <summary>One line of the <c>sharpbpf conformance</c> report: <c>PASS name</c>, <c>FAIL name: why</c>, <c>SKIP name: why</c>.</summary>
    public override string ToString()
    {
        var word = Verdict switch
        {
            ConformanceVerdict.Passed => "PASS",
            ConformanceVerdict.Failed => "FAIL",
            _ => "SKIP",
        };
        return Detail.Length == 0 ? $"{word} {File}" : $"{word} {File}: {Detail}";
    }
}

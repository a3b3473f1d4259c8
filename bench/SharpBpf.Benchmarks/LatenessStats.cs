namespace SharpBpf.Benchmarks;

/// <summary>p50 / p99 / max of a set of lateness samples, in nanoseconds.</summary>
internal readonly record struct LatenessStats(int Samples, long P50, long P99, long Max)
{
    public static LatenessStats Of(IReadOnlyCollection<long> samples)
    {
        if (samples.Count == 0)
        {
            return new LatenessStats(0, 0, 0, 0);
        }

        var sorted = samples.Order().ToArray();
        return new LatenessStats(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted[^1]);
    }

    // Nearest rank: the smallest sample with at least p of the samples at or below it.
    private static long Percentile(long[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    public override string ToString() =>
        $"p50 {P50 / 1e3,8:F1} µs  p99 {P99 / 1e3,8:F1} µs  max {Max / 1e3,9:F1} µs  ({Samples} fires)";
}

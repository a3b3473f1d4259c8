using SharpBpf.Runtime.Replay;

namespace SharpBpf.Cli.Output;

/// <summary>
/// The replay as a picture over capture time (ScottPlot): packets per verdict and timer fires per sampling interval
/// on the left axis; timers armed and the entries of each flow map on the right, so flows are seen to appear and
/// to expire when their timers fire.
/// </summary>
internal static class ReplayPlot
{
    public enum Format
    {
        Svg,
        Png,
    }

    public static Format? FormatOf(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".svg" => Format.Svg,
        ".png" => Format.Png,
        _ => null,
    };

    public static void Write(ReplaySummary summary, string path)
    {
        var format = FormatOf(path) ?? throw new UsageException($"--plot {path}: the picture must be a .svg or .png file");
        var plot = new ScottPlot.Plot();
        var samples = summary.Samples;
        var seconds = samples.Select(s => s.CaptureNs / 1e9).ToArray();
        var bins = Bins(summary);
        var binSeconds = bins.Select(edge => edge / 1e9).ToArray();

        for (var verdict = 0; verdict < XdpVerdicts.Names.Count; verdict++)
        {
            var index = verdict;
            var counts = PerBin(samples, bins, s => s.Verdicts[index]);
            if (counts.All(c => c == 0)) continue;
            plot.Add.ScatterLine(binSeconds, counts).LegendText = XdpVerdicts.Names[verdict] + " packets";
        }

        var fired = PerBin(samples, bins, s => s.TimersFired);
        if (fired.Any(c => c > 0))
        {
            plot.Add.ScatterLine(binSeconds, fired).LegendText = "timers fired";
        }

        var armed = plot.Add.ScatterLine(seconds, samples.Select(s => (double)s.TimersArmed).ToArray());
        armed.LegendText = "timers armed";
        armed.Axes.YAxis = plot.Axes.Right;
        armed.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
        armed.LinePattern = ScottPlot.LinePattern.Dashed;
        for (var map = 0; map < summary.SampledMaps.Count; map++)
        {
            var entries = plot.Add.ScatterLine(seconds, samples.Select(s => (double)s.MapEntries[map]).ToArray());
            entries.LegendText = $"{summary.SampledMaps[map]} entries";
            entries.Axes.YAxis = plot.Axes.Right;
            entries.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
            entries.LinePattern = ScottPlot.LinePattern.Dotted;
        }

        plot.Title($"replay of {summary.Program} ({(summary.VirtualTime ? "virtual" : "real")} time)");
        plot.XLabel("capture time (s)");
        plot.Axes.Left.Label.Text = $"per {Duration(bins.Length > 1 ? bins[1] - bins[0] : 0)}: packets, timer fires";
        plot.Axes.Right.Label.Text = "timers armed, map entries";
        plot.ShowLegend();
        if (format == Format.Svg)
        {
            plot.SaveSvg(path, 1200, 600);
        }
        else
        {
            plot.SavePng(path, 1200, 600);
        }
    }

    private const int BinCount = 100;

    /// <summary>The ends of equal intervals of capture time, about a hundred of them, at a round width.</summary>
    private static long[] Bins(ReplaySummary summary)
    {
        var raw = Math.Max(summary.CaptureNs / BinCount, 1);
        // 1, 2, 5, 10, 20, 50 ... nanoseconds: the first of those at least as wide as a hundredth of the capture.
        var width = 1L;
        for (var step = 0; width < raw; step++) width = step % 3 == 1 ? width * 5 / 2 : width * 2;
        var count = (int)Math.Min(summary.CaptureNs / width + 1, 10 * BinCount);
        return [.. Enumerable.Range(1, count).Select(i => i * width)];
    }

    /// <summary>How much a cumulative count grew in each interval (read from the last sample at or before each end).</summary>
    private static double[] PerBin(IReadOnlyList<ReplaySample> samples, long[] ends, Func<ReplaySample, long> cumulative)
    {
        var result = new double[ends.Length];
        var at = 0;
        long previous = 0;
        for (var bin = 0; bin < ends.Length; bin++)
        {
            while (at + 1 < samples.Count && samples[at + 1].CaptureNs <= ends[bin]) at++;
            var now = samples.Count == 0 ? 0 : cumulative(samples[at]);
            result[bin] = now - previous;
            previous = now;
        }

        return result;
    }

    private static string Duration(long ns) => ns >= 1_000_000_000 ? $"{ns / 1e9:0.###} s" : ns >= 1_000_000 ? $"{ns / 1e6:0.###} ms" : $"{ns / 1e3:0.###} µs";
}

using System.Globalization;
using SharpBpf.Capture;
using SharpBpf.Runtime;
using SharpBpf.Runtime.Replay;
using Spectre.Console;

namespace SharpBpf.Cli.Output;

/// <summary>
/// The replay's live view on a terminal: a progress bar over the capture's bytes, with packets, packets per second,
/// verdict counts, timers fired and armed, and the fill of the maps that hold flows. Not shown when the output is
/// redirected or JSON, where it would only be noise.
/// </summary>
internal static class ReplayLiveView
{
    public static bool IsWanted(CliConsole console, bool json) =>
        !json && console.Out == Console.Out && !Console.IsOutputRedirected;

    public static ReplaySummary Run(CliConsole console, BpfObject obj, string program, CaptureReader capture, ReplayOptions options, long captureBytes)
    {
        ReplaySummary? summary = null;
        Human.Console(console.Out).Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("replaying", maxValue: Math.Max(captureBytes, 1));
                summary = CaptureReplay.Run(obj, program, capture, options with
                {
                    Progress = progress =>
                    {
                        task.Value = progress.CapturePosition;
                        task.Description = Markup.Escape(Describe(progress));
                        context.Refresh();
                    },
                });
                task.Value = task.MaxValue;
            });
        return summary!;
    }

    private static string Describe(ReplayProgress progress)
    {
        var seconds = Math.Max(progress.Elapsed.TotalSeconds, 1e-9);
        var verdicts = string.Join(" ", progress.Verdicts.Select((count, i) => (count, i)).Where(v => v.count > 0)
            .Select(v => $"{XdpVerdicts.Names[v.i][4..]} {v.count.ToString("N0", CultureInfo.InvariantCulture)}"));
        var maps = string.Join(" ", progress.MapEntries.Select(m => $"{m.Key} {m.Value.ToString("N0", CultureInfo.InvariantCulture)}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{progress.Packets:N0} packets, {progress.Packets / seconds:N0}/s | {verdicts} | timers fired {progress.TimersFired:N0}, armed {progress.TimersArmed:N0} | {maps}");
    }
}

using System.Globalization;
using Spectre.Console;

namespace SharpBpf.Cli.Output;

/// <summary>The human form of a replay's summary: a table of counts and rates, then maps and timers where asked.</summary>
internal static class ReplayPrinter
{
    public static void Write(TextWriter writer, ReplayReport report, MapEntryDisplay display)
    {
        var console = Human.Console(writer);
        writer.WriteLine($"replay of {report.Program} ({report.Engine}, {report.Clock} clock)");
        var table = new Table().AddColumns("", "").HideHeaders();
        table.AddRow("packets", Number(report.Packets));
        table.AddRow("bytes", Number(report.Bytes));
        foreach (var (verdict, count) in report.Verdicts)
        {
            table.AddRow(verdict, Number(count));
        }

        table.AddRow("timers fired", Number(report.Timers.Fired));
        table.AddRow("timers armed at the end", Number(report.Timers.ArmedAtEnd));
        table.AddRow("capture time", Duration(report.CaptureNs));
        table.AddRow("replay time", Duration(report.ElapsedNs));
        table.AddRow("packets per second", Number(report.PacketsPerSecond));
        if (report.PacketsWritten is { } written) table.AddRow("packets written", Number(written));
        console.Write(table);
        RunPrinter.WriteMaps(console, report.Maps, display);
        RunPrinter.WriteTimers(console, report.ArmedTimers);
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Duration(long ns) => ns switch
    {
        >= 1_000_000_000 => $"{ns / 1e9:F3} s",
        >= 1_000_000 => $"{ns / 1e6:F3} ms",
        >= 1_000 => $"{ns / 1e3:F3} µs",
        _ => $"{ns} ns",
    };
}

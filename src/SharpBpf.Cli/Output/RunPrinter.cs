using System.Globalization;
using Spectre.Console;

namespace SharpBpf.Cli.Output;

/// <summary>The human form of a run report: one line per run, then maps, timers and trace lines.</summary>
internal static class RunPrinter
{
    public static void Write(TextWriter writer, RunReport report, Func<string, MapEntryDump, string?> describe)
    {
        // Plain lines go straight to the writer: a terminal-width wrap would break hex strings apart.
        var console = Human.Console(writer);
        writer.WriteLine($"engine {report.Engine}, clock {report.Clock}");
        foreach (var result in report.Results)
        {
            var line = $"{result.Program}: retval {result.Retval} (0x{result.Retval:x}), {result.DurationNs} ns";
            writer.WriteLine(result.DataOut is null ? line : $"{line}, data_out {result.DataOut}");
        }

        WriteMaps(console, report.Maps, describe);
        WriteTimers(console, report.Timers);
        foreach (var line in report.Trace ?? [])
        {
            writer.WriteLine(line);
        }
    }

    /// <summary>One table per map: key, value, and the value as its BTF types.</summary>
    public static void WriteMaps(IAnsiConsole console, IReadOnlyDictionary<string, MapDump>? maps, Func<string, MapEntryDump, string?> describe)
    {
        foreach (var (name, map) in maps ?? new Dictionary<string, MapDump>())
        {
            var table = new Table().Title(Markup.Escape(name)).Caption(Markup.Escape($"{map.Type}, key {map.KeySize} B, value {map.ValueSize} B"))
                .AddColumns("key", "value", "as its BTF types");
            foreach (var entry in map.Entries)
            {
                table.AddRow(entry.Key, entry.Value ?? string.Join(" | ", entry.Values ?? []), Markup.Escape(describe(name, entry) ?? ""));
            }

            console.Write(table);
        }
    }

    public static void WriteTimers(IAnsiConsole console, IReadOnlyList<TimerDump>? timers)
    {
        if (timers is null) return;
        var table = new Table().Title("armed timers").AddColumns("map", "key", "clock", "expires (ns)", "callback");
        foreach (var timer in timers)
        {
            table.AddRow(Markup.Escape(timer.Map), timer.Key, timer.Clock,
                timer.ExpiresNs < 0 ? "never" : timer.ExpiresNs.ToString(CultureInfo.InvariantCulture), Markup.Escape(timer.Callback));
        }

        console.Write(table);
    }
}

using System.Globalization;
using Spectre.Console;

namespace SharpBpf.Cli.Output;

/// <summary>The human form of a run report: one line per run, then maps, timers and trace lines.</summary>
internal static class RunPrinter
{
    public static void Write(TextWriter writer, RunReport report, MapEntryDisplay display)
    {
        // Plain lines go straight to the writer: a terminal-width wrap would break hex strings apart.
        var console = Human.Console(writer);
        writer.WriteLine($"engine {report.Engine}, clock {report.Clock}");
        foreach (var result in report.Results)
        {
            var line = $"{result.Program}: retval {result.Retval} (0x{result.Retval:x}), {result.DurationNs} ns";
            writer.WriteLine(result.DataOut is null ? line : $"{line}, data_out {result.DataOut}");
        }

        WriteMaps(console, report.Maps, display);
        WriteTimers(console, report.Timers);
        foreach (var line in report.Trace ?? [])
        {
            writer.WriteLine(line);
        }
    }

    /// <summary>One table per map, the same two columns for every map: key and value as their BTF types print them.</summary>
    public static void WriteMaps(IAnsiConsole console, IReadOnlyDictionary<string, MapDump>? maps, MapEntryDisplay display)
    {
        foreach (var (name, map) in maps ?? new Dictionary<string, MapDump>())
        {
            // The heading is a line of its own: a title or caption would wrap to the width of a narrow table.
            var types = display.TypeNames(name) is { } t ? $" ({t})" : "";
            console.WriteLine($"{name}: {map.Type}, {map.Entries.Count} entries, key {map.KeySize} B, value {map.ValueSize} B{types}");
            var table = new Table().AddColumns("key", "value");
            foreach (var entry in map.Entries)
            {
                var (key, value) = display.Show(name, entry);
                table.AddRow(Markup.Escape(key), Markup.Escape(value));
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

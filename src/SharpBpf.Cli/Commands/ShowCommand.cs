using System.CommandLine;
using System.Text.Json;
using SharpBpf.Btf;
using SharpBpf.Cli.Output;
using SharpBpf.Loader;
using SharpBpf.Maps;
using SpecialFieldKind = SharpBpf.Btf.SpecialFieldKind;
using Spectre.Console;

namespace SharpBpf.Cli.Commands;

/// <summary><c>sharpbpf show OBJ.o [--json]</c>: programs, maps (with special fields such as bpf_timer) and license.</summary>
internal static class ShowCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<FileInfo>("OBJ") { Description = "an ELF object compiled with clang -target bpf" };
        var json = new Option<bool>("--json") { Description = "machine-readable output (stable shape)" };
        var command = new Command("show", "Show an object's programs, maps and license.") { file, json };
        command.SetAction(parse => console.Guard(() =>
        {
            var spec = ObjectLoader.LoadFile(parse.GetRequiredValue(file).FullName);
            var report = Report(spec);
            if (parse.GetValue(json))
            {
                console.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Relaxed.ShowReport));
            }
            else
            {
                WriteTables(console.Out, spec, report);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    public static ShowReport Report(CollectionSpec spec) => new(
        spec.License ?? "",
        [.. spec.Programs.Select(p => new ShowProgram(p.Name, p.SectionName, p.TypeName, p.Instructions.Length))],
        [.. spec.Maps.Select(m => new ShowMap(m.Name, m.Type.ToKernelName(), (int)m.KeySize, (int)m.ValueSize, m.MaxEntries,
            (long)m.Flags, m.KeyTypeName, m.ValueTypeName,
            [.. m.SpecialFields.Fields.Select(f => new ShowSpecialField(KindName(f.Kind), f.Offset))]))]);

    /// <summary>The kernel's struct names: what a BPF developer wrote in the value type.</summary>
    public static string KindName(SpecialFieldKind kind) => kind switch
    {
        SpecialFieldKind.Timer => "bpf_timer",
        SpecialFieldKind.SpinLock => "bpf_spin_lock",
        SpecialFieldKind.ResSpinLock => "bpf_res_spin_lock",
        SpecialFieldKind.Workqueue => "bpf_wq",
        SpecialFieldKind.TaskWork => "bpf_task_work",
        SpecialFieldKind.ListHead => "bpf_list_head",
        SpecialFieldKind.ListNode => "bpf_list_node",
        SpecialFieldKind.RbRoot => "bpf_rb_root",
        SpecialFieldKind.RbNode => "bpf_rb_node",
        SpecialFieldKind.Refcount => "bpf_refcount",
        _ => "kptr",
    };

    private static void WriteTables(TextWriter writer, CollectionSpec spec, ShowReport report)
    {
        var ansi = Human.Console(writer);
        ansi.WriteLine($"{spec.FileName ?? spec.ObjectName}: license {(report.License.Length == 0 ? "(none)" : report.License)}");
        var programs = new Table().Title("programs").AddColumns("name", "section", "type", "instructions");
        foreach (var p in report.Programs)
        {
            programs.AddRow(Markup.Escape(p.Name), Markup.Escape(p.Section), p.Type, p.Instructions.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        ansi.Write(programs);
        var maps = new Table().Title("maps").AddColumns("name", "type", "key", "value", "max_entries", "flags", "key type", "value type", "special fields");
        foreach (var m in report.Maps)
        {
            maps.AddRow(Markup.Escape(m.Name), m.Type, m.KeySize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                m.ValueSize.ToString(System.Globalization.CultureInfo.InvariantCulture), m.MaxEntries.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"0x{m.Flags:x}", Markup.Escape(m.KeyType ?? ""), Markup.Escape(m.ValueType ?? ""),
                Markup.Escape(string.Join(", ", m.SpecialFields.Select(f => $"{f.Kind}@{f.Offset}"))));
        }

        ansi.Write(maps);
        foreach (var note in spec.Maps.Where(m => m.SpecialFields.Problem is not null))
        {
            ansi.WriteLine($"note: map '{note.Name}': {note.SpecialFields.Problem}");
        }
    }
}

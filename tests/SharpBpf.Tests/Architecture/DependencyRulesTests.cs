using System.Text.RegularExpressions;

namespace SharpBpf.Tests.Architecture;

/// <summary>
/// The house plan's folder table (docs/architecture.md): which folder of the library may use which. One assembly
/// gives no compile-time boundaries, so this test reads every source file's <c>using SharpBpf.X</c> directives and
/// qualified <c>SharpBpf.X.</c> names and fails on any arrow that points up.
/// </summary>
public partial class DependencyRulesTests
{
    // Direct permissions from the plan; a folder may also use whatever the folders it may use may use (arrows
    // point down, so the closure is still acyclic). Root types (BpfException, ObjectLoadException) are everyone's.
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Isa"] = [],
        ["Asm"] = ["Isa"],
        ["Elf"] = [],
        ["Btf"] = [],
        ["Loader"] = ["Elf", "Btf", "Isa", "Maps"],
        ["Maps"] = ["Btf"],
        ["Time"] = [],
        ["Timers"] = ["Time", "Maps"],
        ["Helpers"] = ["Isa", "Maps", "Timers", "Time"],
        ["Verifier"] = ["Isa", "Asm", "Helpers", "Maps", "Btf"],
        ["Execution"] = ["Isa", "Helpers"],
        ["Interpreter"] = ["Execution", "Helpers", "Isa"],
        ["Jit"] = ["Execution", "Helpers", "Isa"],
        ["Kernel"] = ["Loader"],
        ["Capture"] = [],
        ["Runtime"] = ["Isa", "Asm", "Elf", "Btf", "Loader", "Maps", "Time", "Timers", "Helpers", "Verifier",
            "Execution", "Interpreter", "Jit", "Kernel", "Capture"],
    };

    [GeneratedRegex(@"\bSharpBpf\.(?<folder>[A-Z][A-Za-z]*)\b")]
    private static partial Regex NamespaceReference();

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SharpBpf.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("cannot find the repository root (SharpBpf.slnx)");
    }

    private static HashSet<string> Closure(string folder)
    {
        var reachable = new HashSet<string>();
        var pending = new Stack<string>(Allowed[folder]);
        while (pending.TryPop(out var next))
        {
            if (reachable.Add(next))
            {
                foreach (var further in Allowed[next]) pending.Push(further);
            }
        }

        return reachable;
    }

    [Fact]
    public void The_plan_itself_has_no_cycle()
    {
        foreach (var folder in Allowed.Keys)
        {
            Assert.DoesNotContain(folder, Closure(folder));
        }
    }

    [Fact]
    public void Interpreter_and_jit_are_peers()
    {
        Assert.DoesNotContain("Jit", Closure("Interpreter"));
        Assert.DoesNotContain("Interpreter", Closure("Jit"));
    }

    [Fact]
    public void Every_folder_uses_only_what_the_plan_allows()
    {
        var library = Path.Combine(RepositoryRoot(), "src", "SharpBpf");
        var violations = new List<string>();
        var folders = Directory.GetDirectories(library)
            .Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj"))
            .ToList();

        foreach (var folder in folders)
        {
            if (!Allowed.ContainsKey(folder!))
            {
                violations.Add($"folder '{folder}' is not in the plan (add it to docs/architecture.md and this test)");
                continue;
            }

            var permitted = Closure(folder!);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(library, folder!), "*.cs", SearchOption.AllDirectories))
            {
                var text = StripComments(File.ReadAllText(file));
                foreach (Match match in NamespaceReference().Matches(text))
                {
                    var used = match.Groups["folder"].Value;
                    if (used != folder && Allowed.ContainsKey(used) && !permitted.Contains(used))
                    {
                        violations.Add($"{Path.GetRelativePath(library, file)} uses SharpBpf.{used}");
                    }
                }
            }
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations.Distinct()));
    }

    [Fact]
    public void The_scan_sees_a_violation()
    {
        // Guards the regex: a file in Isa that names SharpBpf.Maps must be caught.
        var text = StripComments("using SharpBpf.Maps;\n// SharpBpf.Jit in a comment is fine\nnamespace SharpBpf.Isa;");
        var used = NamespaceReference().Matches(text).Select(m => m.Groups["folder"].Value).ToArray();
        Assert.Equal(["Maps", "Isa"], used);
    }

    private static string StripComments(string source) =>
        Regex.Replace(source, @"//[^\n]*|/\*.*?\*/", string.Empty, RegexOptions.Singleline);
}

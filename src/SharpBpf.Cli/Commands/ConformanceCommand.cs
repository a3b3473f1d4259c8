using System.CommandLine;
using SharpBpf.Runtime.Conformance;

namespace SharpBpf.Cli.Commands;

/// <summary>
/// <c>sharpbpf conformance PATH... [--engine interpreter|jit]</c>: one line per <c>.data</c> file, then exactly
/// <c>N passed, N failed</c>. Skipped files get a <c>SKIP</c> line with the reason and count in neither total.
/// Exit 0 when nothing failed, 1 when a file failed, 2 for a missing path.
/// </summary>
internal static class ConformanceCommand
{
    public static Command Create(CliConsole console)
    {
        var paths = new Argument<string[]>("PATH") { Description = ".data files or folders", Arity = ArgumentArity.OneOrMore };
        var engine = EngineChoice.CreateOption("interpreter", "interpreter", "jit");
        var command = new Command("conformance", "Run conformance-suite .data files.") { paths, engine };
        command.SetAction(parse => console.Guard(() =>
        {
            var runner = new ConformanceRunner(EngineChoice.Resolve(parse.GetValue(engine)!));
            var files = ConformanceRunner.CollectFiles(parse.GetRequiredValue(paths)).ToList();
            int passed = 0, failed = 0;
            foreach (var file in files)
            {
                var result = runner.RunFile(file);
                console.Out.WriteLine(result);
                if (result.Verdict == ConformanceVerdict.Passed) passed++;
                if (result.Verdict == ConformanceVerdict.Failed) failed++;
            }

            console.Out.WriteLine($"{passed} passed, {failed} failed");
            return failed == 0 ? ExitCodes.Success : ExitCodes.Rejected;
        }));
        return command;
    }
}

using System.CommandLine;
using SharpBpf.Cli.Commands;

namespace SharpBpf.Cli;

/// <summary>
/// The <c>sharpbpf</c> command line. Output goes to the writers given, so tests run it in process exactly as a
/// user would from a shell. Parse errors exit with 2 (bad usage), not System.CommandLine's default of 1,
/// because 1 means "the verifier rejected a program" in this CLI.
/// </summary>
public static class CliApp
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var console = new CliConsole(stdout, stderr);
        var root = new RootCommand("SharpBpf: a userspace eBPF runtime with kernel-faithful BPF timers.");
        foreach (var command in CommandCatalog.Create(console))
        {
            root.Subcommands.Add(command);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine($"sharpbpf: {error.Message}");
            }

            stderr.WriteLine("Run 'sharpbpf --help' for usage.");
            return ExitCodes.BadInput;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }
}

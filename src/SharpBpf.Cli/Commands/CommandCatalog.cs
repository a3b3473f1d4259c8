using System.CommandLine;

namespace SharpBpf.Cli.Commands;

/// <summary>Every subcommand of <c>sharpbpf</c>, in the order <c>--help</c> lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> Create(CliConsole console)
    {
        yield return AsmCommand.Create(console);
        yield return ShowCommand.Create(console);
        yield return DisasmCommand.Create(console);
        yield return VerifyCommand.Create(console);
        yield return RunCommand.Create(console);
        yield return ReplayCommand.Create(console);
        yield return ConformanceCommand.Create(console);
    }
}

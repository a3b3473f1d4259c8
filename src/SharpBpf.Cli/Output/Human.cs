using Spectre.Console;

namespace SharpBpf.Cli.Output;

/// <summary>Spectre.Console bound to the command's writer, so tables go wherever the command's output goes.</summary>
internal static class Human
{
    public static IAnsiConsole Console(TextWriter writer)
    {
        var terminal = writer == System.Console.Out && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!terminal)
        {
            // Redirected output has no width; wrapping names at 80 columns would only hurt scripts and logs.
            console.Profile.Width = 200;
        }

        return console;
    }
}

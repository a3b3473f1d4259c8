using SharpBpf.Cli;

namespace SharpBpf.Tests.Cli;

/// <summary>Runs the <c>sharpbpf</c> command line in process, as a shell would, and captures what it prints.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Out, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}

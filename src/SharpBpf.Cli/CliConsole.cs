namespace SharpBpf.Cli;

/// <summary>The two streams a command writes to, and the error-to-exit-code mapping every command shares.</summary>
public sealed class CliConsole(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>
    /// Runs a command body and turns the library's exceptions into the contract's exit codes with a one-line
    /// message naming what and where; anything else is our bug and propagates.
    /// </summary>
    public int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (ExitCodeFor(e) is { } code)
        {
            Error.WriteLine($"sharpbpf: {e.Message}");
            return code;
        }
    }

    private static int? ExitCodeFor(Exception e) => e switch
    {
        Execution.ProgramFaultException => ExitCodes.Fault,
        Kernel.KernelLoadException => ExitCodes.Rejected,
        Verifier.VerificationException => ExitCodes.Rejected,
        KeyNotFoundException => ExitCodes.BadInput,
        BpfException => ExitCodes.BadInput,
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException => ExitCodes.BadInput,
        UsageException => ExitCodes.BadInput,
        _ => null,
    };
}

/// <summary>A bad combination of arguments that the parser alone cannot see (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);

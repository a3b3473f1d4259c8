namespace SharpBpf.Cli;

/// <summary>The exit codes of the CLI contract (shared CLI.md). Scripts depend on them.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Rejected = 1;
    public const int BadInput = 2;
    public const int Fault = 3;
}

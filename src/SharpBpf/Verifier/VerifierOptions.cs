namespace SharpBpf.Verifier;

/// <summary>How much the verifier writes and how far it may go.</summary>
public sealed record VerifierOptions
{
    /// <summary>0: the error only; 1: the failing path; 2: every instruction with its register state.</summary>
    public int LogLevel { get; init; } = 1;

    /// <summary>The kernel's BPF_COMPLEXITY_LIMIT_INSNS.</summary>
    public int InstructionLimit { get; init; } = 1_000_000;
}

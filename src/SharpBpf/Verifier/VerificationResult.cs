namespace SharpBpf.Verifier;

/// <summary>
/// The verdict on one program. <see cref="Error"/> is the kernel's one-line reason and <see cref="InstructionIndex"/>
/// the slot where it was found; <see cref="Log"/> is the log at the requested level (the failing path at level 1,
/// every instruction with its register state at level 2), ending with the kernel's statistics line.
/// </summary>
public sealed record VerificationResult(string Program, bool Accepted, string? Error, int? InstructionIndex, string Log)
{
    /// <summary>Instructions walked, counted as the kernel's <c>processed N insns</c> counts them.</summary>
    public int ProcessedInstructions { get; init; }

    public VerificationException ToException() =>
        new(Program, InstructionIndex ?? 0, Error ?? "rejected", Log);
}

namespace SharpBpf.Verifier;

/// <summary>
/// A program is rejected before it runs, as the kernel's verifier would reject it: the program, the instruction
/// (slot index) and a one-line summary in the kernel's words; <see cref="Log"/> keeps the whole log.
/// </summary>
public sealed class VerificationException(string program, int instructionIndex, string summary, string? log = null)
    : BpfException($"program '{program}': insn {instructionIndex}: {summary}")
{
    /// <summary>The rejected program.</summary>
    public string Program { get; } = program;
    /// <summary>The instruction slot where the verifier stopped.</summary>
    public int InstructionIndex { get; } = instructionIndex;
    /// <summary>The kernel's one-line reason (<c>R1 invalid mem access 'scalar'</c>).</summary>
    public string Summary { get; } = summary;
    /// <summary>The whole verifier log, in the kernel's format.</summary>
    public string Log { get; } = log ?? $"{instructionIndex}: {summary}\n";
}

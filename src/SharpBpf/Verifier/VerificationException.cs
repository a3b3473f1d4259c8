namespace SharpBpf.Verifier;

/// <summary>
/// A program is rejected before it runs, as the kernel's verifier would reject it: the program, the instruction
/// (slot index) and a one-line summary in the kernel's words; <see cref="Log"/> keeps the whole log.
/// </summary>
public sealed class VerificationException(string program, int instructionIndex, string summary, string? log = null)
    : BpfException($"program '{program}': insn {instructionIndex}: {summary}")
{
    public string Program { get; } = program;
    public int InstructionIndex { get; } = instructionIndex;
    public string Summary { get; } = summary;
    public string Log { get; } = log ?? $"{instructionIndex}: {summary}\n";
}

namespace SharpBpf.Isa;

/// <summary>
/// A program is not well-formed bytecode: an unknown opcode, a reserved field that is not zero, a register
/// above r10, a jump or call outside the program, a truncated <c>lddw</c>.
/// </summary>
internal sealed class InvalidInstructionException : BpfException
{
    public InvalidInstructionException(int instructionIndex, string reason)
        : base($"insn {instructionIndex}: {reason}")
    {
        InstructionIndex = instructionIndex;
        Reason = reason;
    }

    /// <summary>The 8-byte slot index of the offending instruction.</summary>
    public int InstructionIndex { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }
}

using SharpBpf.Isa;

namespace SharpBpf.Asm;

/// <summary>Formats one instruction as text; never throws for malformed instructions.</summary>
internal interface IInstructionFormatter
{
    /// <summary>
    /// Formats the instruction at slot <paramref name="pc"/>. <paramref name="next"/> is the following slot, needed by
    /// <c>lddw</c> (null at the end of the program). An invalid instruction gives <c>&lt;invalid: reason&gt;</c>.
    /// </summary>
    string Format(Instruction insn, Instruction? next, int pc);
}

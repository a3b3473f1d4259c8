using SharpBpf.Isa;

namespace SharpBpf.Execution;

/// <summary>
/// An engine turns a program into a <see cref="PreparedProgram"/> once; the prepared program then runs many times,
/// on any number of threads at once. The interpreter and the JIT are peers behind this contract and must produce the
/// same results and the same faults.
/// </summary>
internal interface IExecutionEngine
{
    string Name { get; }

    /// <summary>
    /// Validates the program structurally (<see cref="ProgramValidator"/>; throws <see cref="InvalidInstructionException"/>)
    /// and prepares it. It does not verify it: in checked mode the engine contains whatever the program does.
    /// </summary>
    PreparedProgram Prepare(ReadOnlySpan<Instruction> program, EngineOptions? options = null);
}

using SharpBpf.Execution;
using SharpBpf.Isa;

namespace SharpBpf.Interpreter;

/// <summary>
/// The reference engine: decodes a program once into a dense array and runs it with a switch loop, in checked mode
/// (every access validated against the run's live regions) or unchecked mode (verified programs). It assumes a
/// little-endian host. It does not verify programs and does not compile anything.
/// </summary>
internal sealed class InterpreterEngine : IExecutionEngine
{
    public InterpreterEngine()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the interpreter needs a little-endian host");
        }
    }

    public static InterpreterEngine Instance { get; } = new();

    public string Name => "interpreter";

    public PreparedProgram Prepare(ReadOnlySpan<Instruction> program, EngineOptions? options = null) =>
        new InterpretedProgram(program, options ?? EngineOptions.Default);

    /// <summary>Prepares and runs once with the conformance convention (r1 = memory, r2 = its length); returns r0.</summary>
    public ulong Run(ReadOnlySpan<Instruction> program, Span<byte> memory, EngineOptions? options = null) =>
        Prepare(program, options).Run(memory);
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using SharpBpf.Execution;
using SharpBpf.Isa;

namespace SharpBpf.Jit;

/// <summary>
/// The second engine: compiles a program to .NET IL once at prepare time and runs the compiled method, with the
/// interpreter's exact results and faults (see Execution/README.md). Needs dynamic code (not under NativeAOT) and a
/// little-endian host. It does not verify programs and does not share code with the interpreter.
/// </summary>
internal sealed class JitEngine : IExecutionEngine
{
    private readonly JitEngineOptions _jitOptions;

    [RequiresDynamicCode("the JIT compiles programs to IL at run time")]
    public JitEngine(JitEngineOptions? jitOptions = null)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("the jit engine needs dynamic code generation (RuntimeFeature.IsDynamicCodeSupported)");
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the jit engine needs a little-endian host");
        }

        _jitOptions = jitOptions ?? new JitEngineOptions();
    }

    /// <summary>True where the runtime can compile IL (false under NativeAOT).</summary>
    public static bool IsSupported => RuntimeFeature.IsDynamicCodeSupported;

    public string Name => "jit";

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "the constructor requires dynamic code; an instance exists only where it is supported")]
    public PreparedProgram Prepare(ReadOnlySpan<Instruction> program, EngineOptions? options = null) =>
        new JitProgram(program, options ?? EngineOptions.Default, _jitOptions);
}

namespace SharpBpf.Runtime;

/// <summary>Which engine runs a loaded object's programs.</summary>
public enum EngineKind
{
    /// <summary>The interpreter: no code generation; the only engine of the checked mode's full checks and where the JIT is not supported.</summary>
    Interpreter,
    /// <summary>The JIT to IL (the default): programs become .NET methods that the runtime compiles to machine code.</summary>
    Jit,
}

namespace SharpBpf.Runtime;

/// <summary>Which engine runs a loaded object's programs.</summary>
public enum EngineKind
{
    Interpreter,
    Jit,
}

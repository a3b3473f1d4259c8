namespace SharpBpf.Testing;

/// <summary>
/// An expectation about a BPF object that did not hold. The message shows what was found (maps as their BTF types),
/// so a failing test says why without a debugger. Any test framework reports it as a failure.
/// </summary>
public sealed class BpfAssertionException(string message) : Exception(message);

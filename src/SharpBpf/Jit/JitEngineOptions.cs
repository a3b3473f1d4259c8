namespace SharpBpf.Jit;

/// <summary>Settings of the JIT itself (the run-time contract is <see cref="SharpBpf.Execution.EngineOptions"/>).</summary>
internal sealed record JitEngineOptions
{
    /// <summary>Keep a text listing of the emitted IL in <see cref="JitProgram.IlListing"/> (costs memory and compile time).</summary>
    public bool KeepIlListing { get; init; }
}

namespace SharpBpf.Jit;

/// <summary>Settings of the JIT itself (the run-time contract is <see cref="SharpBpf.Execution.EngineOptions"/>).</summary>
internal sealed record JitEngineOptions
{
    /// <summary>Keep a text listing of the emitted IL in <see cref="JitProgram.IlListing"/> (costs memory and compile time).</summary>
    public bool KeepIlListing { get; init; }

    /// <summary>Programs longer than this many slots are compiled as several methods (<see cref="ChunkPlan"/>); tests lower it.</summary>
    internal int SplitAbove { get; init; } = ChunkPlan.SplitAbove;

    /// <summary>The most slots in one chunk of a split program; at least 4 (a cut needs a choice of slots).</summary>
    internal int ChunkSize { get; init; } = ChunkPlan.ChunkSize;
}

using SharpBpf.Helpers;

namespace SharpBpf.Execution;

/// <summary>How an engine prepares a program: the mode it compiles for and the helpers calls resolve to.</summary>
internal sealed record EngineOptions
{
    /// <summary>
    /// Default instruction budget per run: 100 million executed instructions, a runaway loop stops within a few
    /// tenths of a second on either engine.
    /// </summary>
    public const long DefaultInstructionBudget = 100_000_000;

    public ExecutionMode Mode { get; init; } = ExecutionMode.Checked;

    /// <summary>Helpers the program may call; a snapshot is taken at prepare time. Null means none.</summary>
    public HelperRegistry? Helpers { get; init; }

    /// <summary>Instructions a run may execute (callbacks included) before it faults; a run context may override it.</summary>
    public long InstructionBudget { get; init; } = DefaultInstructionBudget;

    /// <summary>
    /// With <see cref="ExecutionMode.ProvenUnchecked"/>: the accesses the verifier proved, which run without a check.
    /// Only the runtime, which verified the program, sets it.
    /// </summary>
    internal ProvenAccesses? ProvenAccesses { get; init; }

    public static EngineOptions Default { get; } = new();
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Isa;

namespace SharpBpf.Jit;

/// <summary>
/// A program compiled to one IL method (a <see cref="System.Reflection.Emit.DynamicMethod"/>), or a long one to one
/// method per chunk (<see cref="ChunkPlan"/>), at prepare time; every run calls that code, which keeps registers in IL
/// locals and the call stack in a small native block of its own.
/// Runs allocate nothing beyond what <see cref="PreparedProgram"/> does for every engine. Immutable and thread-safe.
/// It does not cache across <c>Prepare</c> calls: keep the prepared program to avoid compiling again.
/// </summary>
internal sealed class JitProgram : PreparedProgram
{
    private readonly CompiledCode _code;

    // Read by the compiled code (ldfld), hence fields.
    internal readonly HelperFunction?[] CallSiteHelpers;
    internal readonly int[] Charges;
    internal readonly Maps.BpfMap[] InlinedMaps;

    [RequiresDynamicCode("compiles the program to IL")]
    internal JitProgram(ReadOnlySpan<Instruction> program, EngineOptions options, JitEngineOptions jitOptions)
        : base(program, options)
    {
        var plan = SegmentPlan.Build(program, NeedsCheck, mergeJumps: true);
        var chunkStarts = ChunkPlan.Starts(program, plan, jitOptions.SplitAbove, jitOptions.ChunkSize);
        if (chunkStarts.Length > 1)
        {
            plan = SegmentPlan.Build(program, NeedsCheck, chunkStarts);
        }

        // One more for the end sentinel, which a split program may enter by the dynamic dispatch: it charges one.
        Charges = [.. plan.Charge, 1];
        var compiled = JitCompiler.Compile(this, program, plan, chunkStarts, jitOptions.KeepIlListing);
        CallSiteHelpers = compiled.CallSiteHelpers;
        InlinedMaps = compiled.InlinedMaps;
        IlListing = compiled.Listing;
        _code = compiled.Code;

        // The runtime compiles the IL on the first call; pay that here, at prepare time, not in the first run.
        _code(null!, -1, 0, 0, 0, 0, 0, 0);
    }

    /// <summary>The emitted IL as text, when the engine was asked to keep it (<see cref="JitEngineOptions.KeepIlListing"/>).</summary>
    public string? IlListing { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected internal override ulong ExecuteFunction(ExecutionState state, int entrySlot, int depth, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        _code(state, entrySlot, depth, r1, r2, r3, r4, r5);

    /// <summary>
    /// The budget ran out inside the segment entered at <paramref name="startSlot"/> with <paramref name="available"/>
    /// instructions left: the instruction that many steps on is the one that faults (the segment's earlier
    /// instructions only touched registers).
    /// </summary>
    internal Exception BudgetFault(ExecutionState state, int startSlot, long available)
    {
        var slot = startSlot;
        for (var step = 0L; step < available; step++)
        {
            slot = SegmentPlan.NextStep(Instructions.AsSpan(), slot);
        }

        state.Remaining = 0;
        return new ProgramFaultException(FaultKind.InstructionBudgetExhausted, slot);
    }

    /// <summary>The helper <c>callx</c> names by id, or null.</summary>
    internal HelperFunction? FindHelper(ulong id) => TryGetHelper(id, out var helper) ? helper : null;
}

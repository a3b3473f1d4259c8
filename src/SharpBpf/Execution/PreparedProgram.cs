using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using SharpBpf.Helpers;
using SharpBpf.Isa;

namespace SharpBpf.Execution;

/// <summary>
/// A program an engine has prepared: immutable, runnable any number of times and from several threads at once,
/// because every run gets its own <see cref="ExecutionState"/> (stack, regions, budget).
/// </summary>
public abstract unsafe class PreparedProgram
{
    private readonly bool[] _isInstructionStart;
    private readonly FrozenDictionary<long, HelperFunction> _helpers;

    protected PreparedProgram(ReadOnlySpan<Instruction> program, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.InstructionBudget);
        ProgramValidator.Validate(program);
        Instructions = [.. program];
        Mode = options.Mode;
        Proofs = options.Mode == ExecutionMode.ProvenUnchecked ? options.ProvenAccesses : null;
        InstructionBudget = options.InstructionBudget;
        _isInstructionStart = new bool[program.Length];
        for (var pc = 0; pc < program.Length; pc++)
        {
            _isInstructionStart[pc] = true;
            if (program[pc].IsLoadImm64)
            {
                pc++;
            }
        }

        _helpers = (options.Helpers?.Snapshot() ?? [])
            .ToFrozenDictionary(h => (long)h.Id, h => h.Function);
    }

    public ImmutableArray<Instruction> Instructions { get; }
    public ExecutionMode Mode { get; }
    public long InstructionBudget { get; }

    /// <summary>The verifier's proofs this program runs with (only in <see cref="ExecutionMode.ProvenUnchecked"/>).</summary>
    internal ProvenAccesses? Proofs { get; }

    /// <summary>
    /// Whether the memory access at <paramref name="slot"/> keeps its run-time check: always in checked mode, never in
    /// unchecked mode, and in proven-unchecked mode unless the verifier proved it. The engines ask this, and only
    /// this, when they emit or decode an access.
    /// </summary>
    internal bool NeedsCheck(int slot) => Mode switch
    {
        ExecutionMode.Unchecked => false,
        ExecutionMode.ProvenUnchecked => Proofs?.IsProven(slot) != true,
        _ => true,
    };

    /// <summary>True when <paramref name="slot"/> is inside the program and not the second half of an <c>lddw</c>.</summary>
    public bool IsInstructionStart(int slot) => (uint)slot < (uint)_isInstructionStart.Length && _isInstructionStart[slot];

    /// <summary>The helper registered under <paramref name="id"/> when the program was prepared.</summary>
    public bool TryGetHelper(ulong id, [NotNullWhen(true)] out HelperFunction? helper)
    {
        if (id <= int.MaxValue)
        {
            return _helpers.TryGetValue((long)id, out helper);
        }

        helper = null;
        return false;
    }

    /// <summary>
    /// The conformance convention: r1 = address of <paramref name="memory"/> (0 when empty), r2 = its length, the
    /// memory readable and writable for the run. Returns r0 at the final <c>exit</c>.
    /// </summary>
    public ulong Run(Span<byte> memory)
    {
        fixed (byte* data = memory)
        {
            using var state = new ExecutionState(this, InstructionBudget, hostState: null, regionCapacity: 4);
            if (!memory.IsEmpty)
            {
                state.AddRegion(new MemoryRegion((ulong)data, (ulong)memory.Length, MemoryAccess.ReadWrite, RegionKind.Input));
            }

            state.EntryContext = (ulong)data;

            return ExecuteRun(state, 0, (ulong)data, (ulong)memory.Length, 0, 0, 0);
        }
    }

    /// <summary>Runs with explicit registers and regions (program contexts, timer callbacks). Returns r0.</summary>
    public ulong Run(RunContext context) => Run(context, out _);

    /// <summary>As <see cref="Run(RunContext)"/>, also reporting how many instructions the run executed (callbacks included).</summary>
    public ulong Run(RunContext context, out long executedInstructions)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsInstructionStart(context.EntrySlot))
        {
            throw new ArgumentOutOfRangeException(nameof(context), context.EntrySlot, "the entry slot is not an instruction of the program");
        }

        var budget = context.InstructionBudget ?? InstructionBudget;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budget, nameof(context));
        using var state = new ExecutionState(this, budget, context.HostState, context.Regions.Count + 4);
        foreach (var region in context.Regions)
        {
            state.AddRegion(region);
        }

        state.Packet = context.Packet;
        state.EntryContext = context.EntrySlot == 0 ? context.R1 : null;
        var result = ExecuteRun(state, context.EntrySlot, context.R1, context.R2, context.R3, context.R4, context.R5);
        executedInstructions = budget - state.Remaining;
        return result;
    }

    /// <summary>A whole run from frame 0; a helper that ends the run early (<see cref="RunEndedSignal"/>) gives its value.</summary>
    private ulong ExecuteRun(ExecutionState state, int entrySlot, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        try
        {
            return Execute(state, entrySlot, 0, r1, r2, r3, r4, r5);
        }
        catch (RunEndedSignal ended)
        {
            return ended.ReturnValue;
        }
    }

    /// <summary>
    /// Runs from <paramref name="entrySlot"/> in frame <paramref name="depth"/> (r10 = that frame's top, r1–r5 as given,
    /// other registers 0) until the <c>exit</c> of that frame, and returns r0. Used for the whole run (depth 0) and for
    /// callbacks helpers invoke; the caller has checked the slot and the depth.
    /// </summary>
    protected internal abstract ulong Execute(ExecutionState state, int entrySlot, int depth, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5);
}

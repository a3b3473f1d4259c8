using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using SharpBpf.Helpers;
using SharpBpf.Isa;
using System.Runtime.CompilerServices;

namespace SharpBpf.Execution;

/// <summary>
/// A program an engine has prepared: immutable, runnable any number of times and from several threads at once,
/// because every run gets its own <see cref="ExecutionState"/> (stack, regions, budget).
/// </summary>
internal abstract unsafe class PreparedProgram
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

        foreach (var insn in program)
        {
            if (insn.Opcode == Opcodes.Callx || (insn.Opcode == Opcodes.Call && insn.Src == (byte)CallSource.Local))
            {
                HasLocalCalls = true;
            }

            UsesMayGoto |= insn.Opcode == Opcodes.MayGoto;
        }

        StackBytesWritten = StackBytesBoundOf(program, Proofs);
        _uncheckedArguments = Mode switch
        {
            ExecutionMode.Unchecked => Enumerable.Repeat(byte.MaxValue, program.Length).ToArray(),
            ExecutionMode.ProvenUnchecked when Proofs is not null => Proofs.HelperArgumentMasks(),
            _ => [],
        };
        _helpers = (options.Helpers?.Snapshot() ?? [])
            .ToFrozenDictionary(h => (long)h.Id, h => h.Function);
    }

    public ImmutableArray<Instruction> Instructions { get; }

    /// <summary>The program has a may_goto: every function it enters starts a fresh loop budget (ExecutionState.MayGotoSpent).</summary>
    public bool UsesMayGoto { get; }
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

    /// <summary>
    /// Whether a helper keeps its run-time check of the memory argument in <paramref name="register"/> at the call in
    /// <paramref name="slot"/>: as <see cref="NeedsCheck"/>, with the verifier's proofs of helper arguments. Only a
    /// helper that touches no more than its signature's size (the key or value size, the size argument) may ask.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool NeedsArgumentCheck(int slot, int register) =>
        (uint)slot >= (uint)_uncheckedArguments.Length || (_uncheckedArguments[slot] & (1 << register)) == 0;

    /// <summary>Per slot, bit r set when a helper may skip its check of the argument in r (asked on every helper call: one array read).</summary>
    private readonly byte[] _uncheckedArguments;

    /// <summary>
    /// Maps whose values this program's runs reach without the per-lookup region a lookup helper adds (an engine's
    /// inlined lookup in a proven program): a check recognises an address inside one of their values as the region
    /// that lookup would have added (<see cref="ExecutionState.CheckRegions"/>). Filled while the engine prepares the
    /// program, read-only afterwards.
    /// </summary>
    private (Maps.BpfMap Map, MemoryAccess Access)[] _valueStorages = [];

    /// <summary>Called by an engine while it prepares the program; see <see cref="_valueStorages"/>.</summary>
    internal void RecognizeMapValues(Maps.BpfMap map, MemoryAccess access)
    {
        if (!Array.Exists(_valueStorages, s => ReferenceEquals(s.Map, map)))
        {
            _valueStorages = [.. _valueStorages, (map, access)];
        }
    }

    /// <summary>True when <paramref name="map"/>'s values are recognised with exactly <paramref name="access"/>.</summary>
    internal bool RecognizesMapValues(Maps.BpfMap map, MemoryAccess access)
    {
        foreach (var (recognised, granted) in _valueStorages)
        {
            if (ReferenceEquals(recognised, map) && granted == access)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The access a recognised map grants to [<paramref name="address"/>, +<paramref name="size"/>) when the range is
    /// inside one of its values, or null.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal MemoryAccess? MapValueAccess(ulong address, ulong size)
    {
        foreach (var (map, access) in _valueStorages)
        {
            if (map.HoldsValueBytes(address, size))
            {
                return access;
            }
        }

        return null;
    }

    /// <summary>
    /// Bytes below r10 that any function of this program can write in the frame it runs in: the verifier's stack depth
    /// (rounded up to 16) when it bounds every stack access and every store was proven (an unproven store may go
    /// anywhere its run-time check allows), else the whole frame. A run of a function at the frame the program started
    /// in (its main function, a timer callback) writes no deeper, so only those bytes need zeroing after it.
    /// </summary>
    public int StackBytesWritten { get; }

    private static int StackBytesBoundOf(ReadOnlySpan<Instruction> program, ProvenAccesses? proofs)
    {
        if (proofs?.StackBytesBound is not { } bound || bound > StackLayout.FrameSize)
        {
            return StackLayout.FrameSize;
        }

        for (var pc = 0; pc < program.Length; pc++)
        {
            if (program[pc].Class is InstructionClass.St or InstructionClass.Stx && !proofs.IsProven(pc))
            {
                return StackLayout.FrameSize;
            }
        }

        return (bound + 15) & ~15;
    }

    /// <summary>True when the program makes bpf-to-bpf calls (local or callx): then a run may write any stack frame.</summary>
    public bool HasLocalCalls { get; }

    /// <summary>
    /// The state of the last run on this thread, kept for the next one: a run then allocates nothing and clears only
    /// the stack frames the last run could have written. Taken out while in use, so a nested run (a timer callback
    /// run from a helper) makes its own.
    /// </summary>
    [ThreadStatic]
    private static ExecutionState? t_spareState;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ExecutionState RentState(long budget, object? hostState)
    {
        var state = t_spareState;
        if (state is null)
        {
            return new ExecutionState(this, budget, hostState, regionCapacity: 8);
        }

        t_spareState = null;
        state.Reuse(this, budget, hostState);
        return state;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReturnState(ExecutionState state)
    {
        state.Deactivate();
        if (t_spareState is null)
        {
            t_spareState = state;
        }
        else
        {
            state.Dispose();
        }
    }

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Run(Span<byte> memory)
    {
        fixed (byte* data = memory)
        {
            var state = RentState(InstructionBudget, hostState: null);
            try
            {
                if (!memory.IsEmpty)
                {
                    state.AddRegion(new MemoryRegion((ulong)data, (ulong)memory.Length, MemoryAccess.ReadWrite, RegionKind.Input));
                }

                state.EntryContext = (ulong)data;
                return ExecuteRun(state, 0, (ulong)data, (ulong)memory.Length, 0, 0, 0);
            }
            finally
            {
                ReturnState(state);
            }
        }
    }

    /// <summary>Runs with explicit registers and regions (program contexts, timer callbacks). Returns r0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Run(RunContext context) => Run(context, out _);

    /// <summary>As <see cref="Run(RunContext)"/>, also reporting how many instructions the run executed (callbacks included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Run(RunContext context, out long executedInstructions)
    {
        var (state, budget) = PrepareState(context);
        try
        {
            var result = ExecuteRun(state, context.EntrySlot, context.R1, context.R2, context.R3, context.R4, context.R5);
            executedInstructions = budget - state.Remaining;
            return result;
        }
        finally
        {
            ReturnState(state);
        }
    }

    /// <summary>
    /// Runs of <paramref name="context"/> one after the other on this thread, like the repeat of the kernel's
    /// BPF_PROG_TEST_RUN: the run's state (regions, stack, budget) is set up once and reset between runs, so a
    /// repetition costs the program and nothing else. Dispose the series on the thread that started it.
    /// </summary>
    public RunSeries StartSeries(RunContext context)
    {
        var (state, budget) = PrepareState(context);
        return new RunSeries(this, state, context, budget);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (ExecutionState State, long Budget) PrepareState(RunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsInstructionStart(context.EntrySlot) && !(context.IsWarmUp && context.EntrySlot == -1))
        {
            throw new ArgumentOutOfRangeException(nameof(context), context.EntrySlot, "the entry slot is not an instruction of the program");
        }

        var budget = context.InstructionBudget ?? InstructionBudget;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budget, nameof(context));
        var state = RentState(budget, context.HostState);
        foreach (var region in context.RegionSpan)
        {
            state.AddRegion(region);
        }

        state.SealBaseRegions();
        state.Packet = context.Packet;
        state.EntryContext = context.EntrySlot == 0 ? context.R1 : null;
        return (state, budget);
    }

    /// <summary>See <see cref="StartSeries"/>.</summary>
    public sealed class RunSeries : IDisposable
    {
        private readonly PreparedProgram _program;
        private readonly RunContext _context;
        private readonly long _budget;
        private ExecutionState? _state;
        private bool _started;

        internal RunSeries(PreparedProgram program, ExecutionState state, RunContext context, long budget)
        {
            _program = program;
            _state = state;
            _context = context;
            _budget = budget;
        }

        /// <summary>Instructions the last run executed (callbacks included).</summary>
        public long LastExecutedInstructions { get; private set; }

        /// <summary>One run from the context's entry slot with its registers; returns r0.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public ulong Next()
        {
            var state = _state ?? throw new ObjectDisposedException(nameof(RunSeries));
            if (_started)
            {
                state.ResetForNextRun(_budget);
            }

            _started = true;
            var context = _context;
            var result = _program.ExecuteRun(state, context.EntrySlot, context.R1, context.R2, context.R3, context.R4, context.R5);
            LastExecutedInstructions = _budget - state.Remaining;
            return result;
        }

        public void Dispose()
        {
            if (_state is { } state)
            {
                _state = null;
                ReturnState(state);
            }
        }
    }

    /// <summary>A whole run from frame 0; a helper that ends the run early (<see cref="RunEndedSignal"/>) gives its value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    /// callbacks helpers invoke; the caller has checked the slot and the depth. The function's tail calls are entered
    /// here, one after the other (the trampoline), so a chain of them does not grow the .NET stack.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected internal ulong Execute(ExecutionState state, int entrySlot, int depth, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        if (UsesMayGoto)
        {
            state.ResetMayGoto(depth);
        }

        var r0 = ExecuteFunction(state, entrySlot, depth, r1, r2, r3, r4, r5);
        return state.HasTailJump ? RunTailJumps(state, depth) : r0;
    }

    /// <summary>
    /// The trampoline of tail calls (<see cref="ExecutionState.BeginTailJump"/>): each target runs from its first
    /// instruction in frame <paramref name="depth"/>, one after the other at this .NET stack depth, until one returns
    /// without a tail call; its r0 is the invocation's. The 33-call limit is counted where the calls are made.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong RunTailJumps(ExecutionState state, int depth)
    {
        ulong r0;
        do
        {
            var target = state.TakeTailJump(out var context)!;
            if (target.UsesMayGoto)
            {
                state.ResetMayGoto(depth);
            }

            r0 = target.ExecuteFunction(state, 0, depth, context, 0, 0, 0, 0);
        }
        while (state.HasTailJump);

        return r0;
    }

    /// <summary>
    /// As <see cref="Execute"/> for the engine: runs one function to its exit. A tail call the function makes is either
    /// run by the engine (<see cref="ExecutionState.RunTailCall"/>) or, from the function entered here, left to
    /// <see cref="Execute"/> (<see cref="ExecutionState.BeginTailJump"/>, then return at once).
    /// </summary>
    protected internal abstract ulong ExecuteFunction(ExecutionState state, int entrySlot, int depth, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5);
}

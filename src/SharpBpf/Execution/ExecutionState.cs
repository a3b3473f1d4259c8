using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SharpBpf.Helpers;

namespace SharpBpf.Execution;

/// <summary>
/// Everything one run owns: its stack block, its live memory regions, its remaining instruction budget, and where
/// it is (instruction and frame depth) while a helper runs. Engines create one per run and never share it between
/// threads; it is also the <see cref="HelperCallContext"/> helpers receive.
/// It does not execute instructions: the engine does, and keeps hot state in locals, syncing
/// <see cref="Remaining"/>, <see cref="CurrentInstruction"/> and <see cref="CurrentDepth"/> around helper calls.
/// </summary>
internal sealed unsafe class ExecutionState : HelperCallContext, IDisposable
{
    private PreparedProgram _program;
    private PreparedProgram _entryProgram;
    private int _tailCalls;

    /// <summary>
    /// The current function left a tail call to <see cref="_program"/> for its invoker to enter
    /// (<see cref="BeginTailJump"/>), with this r1. A flag, not the target: one reference store (write barrier) less.
    /// </summary>
    private bool _tailJumpPending;
    private ulong _tailJumpContext;

    /// <summary>The frame the current program started in: 0, or the frame a tail call from a subprogram replaced.</summary>
    private int _programBaseDepth;
    private object? _hostState;
    private MemoryRegion[] _regions;
    private int _regionCount;
    private int _baseRegionCount;
    private byte* _stackBlock;
    private bool _active;

    /// <summary>
    /// may_goto's budget per frame, the kernel's hidden stack slot below a function's stack: BPF_MAX_LOOPS rounds from
    /// each entry of a function (the kernel sets it in the prologue of every subprogram with a may_goto).
    /// </summary>
    private long[]? _mayGotoLeft;

    /// <summary>The kernel's BPF_MAX_LOOPS: may_goto falls through this many times per function entry, then jumps.</summary>
    internal const long MayGotoRounds = 8 * 1024 * 1024;

    /// <summary>Bytes (from the top of frame 0 down) a run may have written: what the next run must zero, and no more.</summary>
    private int _dirtyBytes;

    internal ExecutionState(PreparedProgram program, long budget, object? hostState, int regionCapacity)
    {
        _program = program;
        _entryProgram = program;
        _hostState = hostState;
        _regions = new MemoryRegion[Math.Max(regionCapacity, 4)];
        _stackBlock = StackPool.Rent();
        StackTop = (ulong)_stackBlock + StackLayout.TotalSize;
        Remaining = budget;
        _active = true;
        _dirtyBytes = BytesWrittenBy(program, 0, 0);
    }

    /// <summary>
    /// Makes a state that served an earlier run (on this thread) ready for a new one of <paramref name="program"/>:
    /// no regions, full budget, no tail calls, a zero stack. Only the frames the earlier runs could have written are
    /// cleared (the whole block when a program with bpf-to-bpf calls ran), so a short program does not pay for 4 KB.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Reuse(PreparedProgram program, long budget, object? hostState)
    {
        _program = program;
        _entryProgram = program;
        _hostState = hostState;
        _regionCount = 0;
        _baseRegionCount = 0;
        Packet = null;
        _active = true;
        ResetForNextRun(budget);
    }

    /// <summary>
    /// Fixes the regions added so far (the run's context, packet, global data) as the ones every run of a series
    /// starts with; <see cref="ResetForNextRun"/> drops whatever helpers add after this point.
    /// </summary>
    internal void SealBaseRegions() => _baseRegionCount = _regionCount;

    /// <summary>Between two runs of a series (a test run's repeat): what the previous run changed is undone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void ResetForNextRun(long budget)
    {
        _program = _entryProgram;
        _programBaseDepth = 0;
        _tailCalls = 0;
        PendingTailCall = null;
        _tailJumpPending = false;
        CurrentInstruction = 0;
        CurrentDepth = 0;
        Remaining = budget;
        _regionCount = _baseRegionCount;
        ClearDirtyStack();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ClearDirtyStack()
    {
        var bytes = (uint)_dirtyBytes;
        if (bytes != 0)
        {
            NativeMemory.Clear(_stackBlock + StackLayout.TotalSize - bytes, bytes);
        }

        // The run about to start writes its own frame (as deep as the verifier bounds it), every frame with bpf-to-bpf calls.
        _dirtyBytes = BytesWrittenBy(_program, 0, 0);
    }

    /// <summary>
    /// How far below the top of frame 0 a function of <paramref name="program"/> entered at frame <paramref name="depth"/>
    /// may write: a program with bpf-to-bpf calls any of the 8 frames from its base; another, in the frame it started
    /// in, its bounded bytes (<see cref="PreparedProgram.StackBytesWritten"/>), and in a callback's frame the whole frame.
    /// </summary>
    private static int BytesWrittenBy(PreparedProgram program, int baseDepth, int depth) =>
        program.HasLocalCalls ? Math.Min(baseDepth + StackLayout.MaxCallFrames, StackLayout.MaxStackFrames) * StackLayout.FrameSize
        : depth == baseDepth ? (baseDepth * StackLayout.FrameSize) + program.StackBytesWritten
        : (depth + 1) * StackLayout.FrameSize;

    private void MarkFramesWritten(PreparedProgram program, int baseDepth, int depth)
    {
        var bytes = BytesWrittenBy(program, baseDepth, depth);
        if (bytes > _dirtyBytes)
        {
            _dirtyBytes = bytes;
        }
    }

    /// <summary>The run is over: the state stays valid for reuse, not for a helper that kept it.</summary>
    internal void Deactivate()
    {
        _active = false;
        _hostState = null;
    }

    /// <summary>One past the highest stack byte: r10 of frame 0.</summary>
    public ulong StackTop { get; }

    /// <summary>Instructions the run may still execute.</summary>
    public long Remaining { get; internal set; }

    /// <summary>The instruction being executed when control is outside the engine's loop (a helper call).</summary>
    public int CurrentInstruction { get; internal set; }

    /// <summary>The frame index (0 = main program) of <see cref="CurrentInstruction"/>.</summary>
    public int CurrentDepth { get; internal set; }

    /// <summary>
    /// One past the deepest frame the current program may enter: 8 frames from the frame it started in (the
    /// kernel's per-program MAX_CALL_FRAMES), and never past the run's stack block.
    /// </summary>
    public int CallDepthLimit => Math.Min(_programBaseDepth + StackLayout.MaxCallFrames, StackLayout.MaxStackFrames);

    /// <summary>The program whose code runs now: the run's program, or the target of the latest tail call in effect.</summary>
    public PreparedProgram CurrentProgram => _program;

    /// <summary>Set by <see cref="TryTailCall"/>; the engine takes it with <see cref="TakePendingTailCall"/> as soon as the helper returns.</summary>
    public PreparedProgram? PendingTailCall { get; private set; }

    public override int InstructionIndex => CurrentInstruction;
    public override object Program => _program;
    public override int TailCallCount => _tailCalls;
    // Proven-unchecked programs keep every helper-side check: the verifier's proofs cover loads and stores only.
    public override bool IsChecked => _program.Mode != ExecutionMode.Unchecked;
    public override object? HostState => _hostState;

    /// <summary>Regions the run started with (context, packet, global data).</summary>
    internal int BaseRegionCount => _baseRegionCount;

    /// <summary>r10 of the frame at <paramref name="depth"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong FrameTop(int depth) => StackTop - (ulong)(depth * StackLayout.FrameSize);

    /// <summary>The lowest live stack byte when the deepest frame is <paramref name="depth"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong StackLow(int depth) => StackTop - (ulong)((depth + 1) * StackLayout.FrameSize);

    /// <summary>
    /// r1 at the start of a run from the program's entry: the context a proven tail-call target may be entered with.
    /// Null for a run that starts elsewhere (a timer callback), whose r1 is no context.
    /// </summary>
    internal ulong? EntryContext { get; set; }

    /// <summary>The packet legacy <c>ldabs</c>/<c>ldind</c> read, if the run has one.</summary>
    public MemoryRegion? Packet { get; internal set; }

    public ReadOnlySpan<MemoryRegion> Regions => _regions.AsSpan(0, _regionCount);

    private const int RecentRegionsChecked = 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AddRegion(in MemoryRegion region)
    {
        // A loop that looks the same values up again re-adds recent regions; older duplicates only cost a slot, so
        // the search stays short however many distinct values a run touches.
        // Start first: one compare rejects almost every entry (the record's == compares field by field, slowly).
        var regions = _regions;
        for (var i = _regionCount - 1; i >= Math.Max(0, _regionCount - RecentRegionsChecked); i--)
        {
            ref readonly var existing = ref regions[i];
            if (existing.Start == region.Start && existing.Length == region.Length && existing.Access == region.Access && existing.Kind == region.Kind)
            {
                return;
            }
        }

        if (_regionCount == _regions.Length)
        {
            Array.Resize(ref _regions, _regions.Length * 2);
        }

        _regions[_regionCount++] = region;
    }

    /// <summary>
    /// Checks an access outside the engine's inline stack test: the live stack frames (0..<paramref name="depth"/>),
    /// then every region. Faults at <paramref name="instructionIndex"/> when no single region holds the whole range
    /// with the needed permission.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CheckAccess(ulong address, ulong size, MemoryAccess access, int instructionIndex, int depth)
    {
        var low = StackLow(depth);
        if (address >= low && size <= StackTop - low && address - low <= StackTop - low - size)
        {
            return;
        }

        CheckRegions(address, size, access, instructionIndex);
    }

    /// <summary>As <see cref="CheckAccess"/> without the stack: the engine tested the live frames inline already.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CheckRegions(ulong address, ulong size, MemoryAccess access, int instructionIndex)
    {
        var readOnlyHit = false;
        // Newest first: the value a helper just returned is the one the next loads and stores touch.
        for (var i = _regionCount - 1; i >= 0; i--)
        {
            ref readonly var region = ref _regions[i];
            if (region.Contains(address, size))
            {
                if ((region.Access & access) == access)
                {
                    return;
                }

                readOnlyHit = true;
            }
        }

        if (RecognizedMapValueAccess(address, size) is { } granted)
        {
            if ((granted & access) == access)
            {
                return;
            }

            readOnlyHit = true;
        }

        var kind = (access & MemoryAccess.Write) == 0 ? FaultKind.OutOfBoundsRead
            : readOnlyHit ? FaultKind.ReadOnlyWrite
            : FaultKind.OutOfBoundsWrite;
        FaultThrow.Fault(kind, instructionIndex, address, (int)Math.Min(size, int.MaxValue));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Span<byte> GetMemory(ulong address, ulong length, MemoryAccess access) =>
        MemoryAt(address, length, access, check: IsChecked);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Span<byte> GetArgumentMemory(int register, ulong address, ulong length, MemoryAccess access) =>
        MemoryAt(address, length, access, check: _program.NeedsArgumentCheck(CurrentInstruction, register));

    /// <summary>The bytes a helper touches, checked against the run's regions when <paramref name="check"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> MemoryAt(ulong address, ulong length, MemoryAccess access, bool check)
    {
        ThrowIfEnded();
        if (length == 0)
        {
            return [];
        }

        if (check)
        {
            CheckAccess(address, length, access, CurrentInstruction, CurrentDepth);
        }

        if (length > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "a span cannot be longer than int.MaxValue");
        }

        return new Span<byte>((void*)address, (int)length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void AddRegion(nint address, long length, MemoryAccess access)
    {
        ThrowIfEnded();
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        AddRegion(new MemoryRegion((ulong)address, (ulong)length, access, RegionKind.HelperMemory));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override ulong InvokeSubprogram(ulong functionPointer, ulong r1 = 0, ulong r2 = 0, ulong r3 = 0, ulong r4 = 0, ulong r5 = 0)
    {
        if (!FunctionPointer.TryDecode(functionPointer, out var slot) || !_program.IsInstructionStart(slot))
        {
            FaultThrow.Fault(FaultKind.InvalidCallTarget, CurrentInstruction, functionPointer);
        }

        return InvokeFunction(slot, r1, r2, r3, r4, r5);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override ulong InvokeSubprogramAt(int slot, ulong r1 = 0, ulong r2 = 0, ulong r3 = 0, ulong r4 = 0, ulong r5 = 0)
    {
        ThrowIfEnded();
        if (!_program.IsInstructionStart(slot))
        {
            FaultThrow.Fault(FaultKind.InvalidCallTarget, CurrentInstruction, FunctionPointer.Tag | (uint)Math.Max(slot, 0));
        }

        return InvokeFunction(slot, r1, r2, r3, r4, r5);
    }

    /// <summary>A callback at <paramref name="slot"/>, an instruction start of the current program, in the next frame.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong InvokeFunction(int slot, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        ThrowIfEnded();
        var depth = CurrentDepth + 1;
        if (depth >= CallDepthLimit)
        {
            FaultThrow.Fault(FaultKind.CallDepthExceeded, CurrentInstruction);
        }

        MarkFramesWritten(_program, _programBaseDepth, depth);
        var (savedInstruction, savedDepth) = (CurrentInstruction, CurrentDepth);
        // A tail call the callback makes replaces the current program until the callback returns (BeginTailJump).
        var (savedProgram, savedBase) = (_program, _programBaseDepth);
        var result = _program.Execute(this, slot, depth, r1, r2, r3, r4, r5);
        (CurrentInstruction, CurrentDepth, _programBaseDepth) = (savedInstruction, savedDepth, savedBase);
        if (!ReferenceEquals(_program, savedProgram))
        {
            // Only after a tail call: a reference store costs a write barrier, and callbacks run by the thousand.
            _program = savedProgram;
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryGetMemory(ulong address, ulong length, MemoryAccess access, out Span<byte> memory)
    {
        ThrowIfEnded();
        memory = default;
        if (length == 0)
        {
            return true;
        }

        if (length > int.MaxValue || !IsAccessible(address, length, access, CurrentDepth))
        {
            return false;
        }

        memory = new Span<byte>((void*)address, (int)length);
        return true;
    }

    /// <summary>True when the live stack frames or one region hold the whole range with the needed permission (no fault).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsAccessible(ulong address, ulong length, MemoryAccess access, int depth)
    {
        var low = StackLow(depth);
        if (address >= low && length <= StackTop - low && address - low <= StackTop - low - length)
        {
            return true;
        }

        for (var i = 0; i < _regionCount; i++)
        {
            ref readonly var region = ref _regions[i];
            if (region.Contains(address, length) && (region.Access & access) == access)
            {
                return true;
            }
        }

        return RecognizedMapValueAccess(address, length) is { } granted && (granted & access) == access;
    }

    /// <summary>
    /// Map values the run's programs reach without a per-lookup region (<see cref="PreparedProgram.RecognizeMapValues"/>):
    /// the current program's, and the entry program's (a value it looked up before a tail call).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private MemoryAccess? RecognizedMapValueAccess(ulong address, ulong size) =>
        _program.MapValueAccess(address, size)
        ?? (ReferenceEquals(_program, _entryProgram) ? null : _entryProgram.MapValueAccess(address, size));

    internal override bool RecognizesValuesOf(Maps.BpfMap map, MemoryAccess access) => _program.RecognizesMapValues(map, access);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryTailCall(object? target)
    {
        ThrowIfEnded();
        if (!CountTailCall())
        {
            return false;
        }

        if (target is not PreparedProgram program || program.Mode != _program.Mode)
        {
            return false;
        }

        PendingTailCall = program;
        return true;
    }

    /// <summary>Counts one tail call as the kernel does; false, without counting, past <see cref="HelperCallContext.MaxTailCalls"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool CountTailCall()
    {
        if (_tailCalls >= MaxTailCalls)
        {
            return false;
        }

        _tailCalls++;
        return true;
    }

    /// <summary>The tail call a helper asked for, cleared; null when there is none.</summary>
    public PreparedProgram? TakePendingTailCall()
    {
        var target = PendingTailCall;
        PendingTailCall = null;
        return target;
    }

    /// <summary>
    /// Runs a tail-call target in place of the current function: from its first instruction in frame
    /// <paramref name="depth"/> (the same frame, so the same r10 and stack bytes) with r1 = <paramref name="context"/>,
    /// and returns its r0, which the engine then treats as the current function's <c>exit</c> value. Linux does the
    /// same from a subprogram: the target unwinds only the subprogram's frame, and its exit returns to the
    /// subprogram's caller (measured on 6.18, Data/realworld/tail_subprog.c). The target's own calls count their 8
    /// frames from <paramref name="depth"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong RunTailCall(PreparedProgram target, int depth, ulong context)
    {
        CheckTailCallContext(target, context);
        var (previous, previousBase) = (_program, _programBaseDepth);
        _program = target;
        _programBaseDepth = depth;
        MarkFramesWritten(target, depth, depth);
        try
        {
            return target.Execute(this, 0, depth, context, 0, 0, 0, 0);
        }
        finally
        {
            (_program, _programBaseDepth) = (previous, previousBase);
        }
    }

    /// <summary>
    /// A proven program's unchecked accesses assume r1 is the context of the type it was verified for, as the kernel
    /// assumes when it allows only programs of the caller's type in a PROG_ARRAY and only ctx as r1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckTailCallContext(PreparedProgram target, ulong context)
    {
        if (target.Proofs is { } proofs && (proofs.ContextType != _program.Proofs?.ContextType || context != EntryContext))
        {
            FaultThrow.HelperFault(CurrentInstruction, "bpf_tail_call: the target was verified for another context than r1");
        }
    }

    /// <summary>
    /// As <see cref="RunTailCall"/>, for a function whose exit is its invocation's (the frame its
    /// <see cref="PreparedProgram.Execute"/> was entered at): the target becomes the current program now, and the
    /// function returns at once; its invoker then enters the target with <see cref="TakeTailJump"/>, in the same
    /// frame and .NET stack depth, as the kernel's tail call is a jump. The invoker of a callback restores the program
    /// when the callback returns (<see cref="InvokeSubprogramAt"/>); a whole run ends with it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void BeginTailJump(PreparedProgram target, int depth, ulong context)
    {
        CheckTailCallContext(target, context);
        _program = target;
        _programBaseDepth = depth;
        MarkFramesWritten(target, depth, depth);
        _tailJumpPending = true;
        _tailJumpContext = context;
    }

    /// <summary>A function of a program with a may_goto is entered in frame <paramref name="depth"/>: its budget is full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ResetMayGoto(int depth) => (_mayGotoLeft ??= new long[StackLayout.MaxStackFrames])[depth] = MayGotoRounds;

    /// <summary>
    /// A may_goto in frame <paramref name="depth"/>: true when the function's budget is spent (the jump is taken), else
    /// one round is paid and it falls through (the kernel's fixup: <c>if (slot == 0) goto target; slot--;</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MayGotoSpent(int depth)
    {
        ref long left = ref _mayGotoLeft![depth];
        if (left == 0)
        {
            return true;
        }

        left--;
        return false;
    }

    /// <summary>
    /// As <see cref="BeginTailJump"/>, for a target whose code the caller's engine enters itself, in the same
    /// invocation (the JIT's tail call of a program to itself: a jump to its first instruction): the target becomes the
    /// current program with its frames counted from <paramref name="depth"/>, and nothing is left for the trampoline.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void EnterTailJumpInPlace(PreparedProgram target, int depth, ulong context)
    {
        CheckTailCallContext(target, context);
        if (target.UsesMayGoto)
        {
            ResetMayGoto(depth);
        }

        if (ReferenceEquals(_program, target) && _programBaseDepth == depth)
        {
            // Already the current program from this frame, its frames marked: a reference store is a write barrier.
            return;
        }

        _program = target;
        _programBaseDepth = depth;
        MarkFramesWritten(target, depth, depth);
    }

    /// <summary>
    /// Enters the tail call a helper asked for (<see cref="PendingTailCall"/>): as a jump when <paramref name="jump"/>
    /// (<see cref="BeginTailJump"/>; the result is then unused), else run here (<see cref="RunTailCall"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal ulong EnterPendingTailCall(int depth, ulong context, bool jump)
    {
        var target = TakePendingTailCall()!;
        if (!jump)
        {
            return RunTailCall(target, depth, context);
        }

        BeginTailJump(target, depth, context);
        return 0;
    }

    /// <summary>True when the function that just returned left a tail call for its invoker to enter.</summary>
    internal bool HasTailJump
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _tailJumpPending;
    }

    /// <summary>The tail call <see cref="BeginTailJump"/> left, cleared, with its r1; null when there is none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal PreparedProgram? TakeTailJump(out ulong context)
    {
        context = _tailJumpContext;
        if (!_tailJumpPending)
        {
            return null;
        }

        _tailJumpPending = false;
        return _program;
    }

    [DoesNotReturn]
    public override void EndRun(ulong returnValue)
    {
        ThrowIfEnded();
        throw new RunEndedSignal(returnValue);
    }

    [DoesNotReturn]
    public override void Fault(string reason) => FaultThrow.HelperFault(CurrentInstruction, reason);

    /// <summary>A helper that kept its context past the run would touch a stack block another run may own.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ThrowIfEnded()
    {
        if (!_active)
        {
            ThrowEnded();
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowEnded() => throw new InvalidOperationException("a helper context is only valid while its helper call runs");

    public void Dispose()
    {
        _active = false;
        if (_stackBlock != null)
        {
            StackPool.Return(_stackBlock);
            _stackBlock = null;
        }
    }
}

using System.Globalization;
using SharpBpf.Isa;

namespace SharpBpf.Verifier;

/// <summary>
/// The kernel's exploration bookkeeping (is_state_visited, push_stack, update_branch_counts): every path remembers
/// its last checkpoint and the steps since; at a prune point the state is compared with the checkpoints kept there.
/// A fully explored equivalent one prunes the path; an unfinished one (an ancestor: the loop is still being walked)
/// never prunes, and if it is exactly the same state the loop cannot end ("infinite loop detected"). New checkpoints
/// are kept as sparingly as the kernel keeps them, and ones that keep missing are dropped.
/// </summary>
internal sealed partial class Analysis
{
    /// <summary>The kernel's BPF_COMPLEXITY_LIMIT_JMP_SEQ: branch states waiting to be explored.</summary>
    private const int PendingPathLimit = 8192;

    /// <summary>A branch (or callback) waiting to be explored, with the path it continues.</summary>
    private readonly record struct PendingPath(int Pc, int From, VerifierState State, Checkpoint? Parent, List<PathStep> Steps, ulong[] Written);

    private Checkpoint? _parent;
    private List<PathStep> _steps = [];
    private ulong[] _written = new ulong[Checkpoint.FrameLimit];
    private int _stepDepth;
    private (int Frame, int Offset) _stepSpill = (-1, 0);
    private int _jumpsProcessed;
    private int _jumpsAtLastCheckpoint;
    private int _processedAtLastCheckpoint;
    private int _totalStates;
    private int _liveStates;
    private int _peakStates;
    private int _maxStatesPerInsn;

    private void Resume(PendingPath path)
    {
        _parent = path.Parent;
        _steps = path.Steps;
        _written = path.Written;
    }

    private bool _stepFromCallback;

    private PathStep CurrentStep() => new(_currentPc, _stepDepth, _stepSpill.Frame, _stepSpill.Offset, _stepFromCallback, _stepLinked);

    /// <summary>At a conditional jump: the scalars linked to its operands (for precision tracking).</summary>
    private (int Frame, int Register, int Offset)[]? _stepLinked;

    /// <summary>
    /// A synchronous callback returns to the helper call that ran it, as in the kernel: the call is then verified
    /// again (another callback run, and the code after it) until its state repeats. Imprecise scalars that changed
    /// since the previous visit of the call become unknown (widen_imprecise_scalars), so the repetition ends; after
    /// <see cref="CallbackRunsBeforeWidening"/> visits a changing precise one does too (SharpBpf does not bound the
    /// repetition as the kernel does, and an unknown value is always sound).
    /// </summary>
    private int ReturnFromCallback(VerifierState state)
    {
        int callSite = state.Current.CallSite;
        state.Frames.RemoveAt(state.Frames.Count - 1);
        _stepFromCallback = true;
        Checkpoint? previous = null;
        int visits = 0;
        for (var checkpoint = _parent; checkpoint is not null; checkpoint = checkpoint.Parent)
        {
            if (checkpoint.Pc == callSite && checkpoint.State.Frames.Count == state.Frames.Count)
            {
                previous ??= checkpoint;
                visits++;
            }
        }

        if (previous is not null)
        {
            WidenChangedScalars(previous.State, state, evenPrecise: visits >= CallbackRunsBeforeWidening);
        }

        return callSite;
    }

    private const int CallbackRunsBeforeWidening = 3;

    private static void WidenChangedScalars(VerifierState previous, VerifierState state, bool evenPrecise)
    {
        for (var f = 0; f < state.Frames.Count; f++)
        {
            var before = previous.Frames[f];
            var frame = state.Frames[f];
            for (var r = 0; r < FrameState.RegisterCount; r++)
            {
                if (Changed(before.Registers[r], frame.Registers[r], evenPrecise))
                {
                    frame.Registers[r] = RegisterValue.UnknownScalar;
                }
            }

            foreach (var (at, spill) in frame.Spills.ToArray())
            {
                if (before.Spills.TryGetValue(at, out var old) && Changed(old.Value, spill.Value, evenPrecise))
                {
                    frame.Spills[at] = (RegisterValue.Scalar(ScalarRange.Bits(spill.Size * 8)), spill.Size);
                }
            }
        }
    }

    private static bool Changed(RegisterValue old, RegisterValue value, bool evenPrecise) =>
        old.IsScalar && (evenPrecise || !old.Precise) && value.IsScalar && old with { Id = 0, Precise = false } != value with { Id = 0, Precise = false };

    /// <summary>
    /// Queues another path from the current instruction: a branch's other side, or a callback. It shares this path's
    /// history (a timer callback starts its own: the kernel verifies it as a new root). False when too many wait.
    /// </summary>
    private bool PushPath(int pc, VerifierState state, bool newRoot = false)
    {
        if (newRoot)
        {
            _pending.Push(new PendingPath(pc, _currentPc, state, null, [], new ulong[Checkpoint.FrameLimit]));
        }
        else
        {
            _pending.Push(new PendingPath(pc, _currentPc, state, _parent, [.. _steps, CurrentStep()], (ulong[])_written.Clone()));
            if (_parent is not null)
            {
                _parent.Branches++;
            }
        }

        if (_pending.Count > PendingPathLimit)
        {
            return Reject(_currentPc, $"The sequence of {_pending.Count} jumps is too complex.");
        }

        return true;
    }

    /// <summary>A path ended (exit, pruned, impossible): checkpoints whose every path ended may now prune others.</summary>
    private void EndPath()
    {
        for (var checkpoint = _parent; checkpoint is not null; checkpoint = checkpoint.Parent)
        {
            if (--checkpoint.Branches > 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The kernel's clear_singular_ids: a scalar id no other register or spill shares links nothing, and dropping it
    /// lets the state match states that never linked that value.
    /// </summary>
    private static void ClearSingularScalarIds(VerifierState state)
    {
        var counts = new Dictionary<int, int>();
        state.Update(value =>
        {
            if (value is { IsScalar: true, Id: not 0 })
            {
                counts[value.LinkId] = counts.GetValueOrDefault(value.LinkId) + 1;
            }

            return value;
        });
        if (counts.Values.All(count => count > 1))
        {
            return;
        }

        state.Update(value => value is { IsScalar: true, Id: not 0 } && counts[value.LinkId] == 1 ? value with { Id = 0, Offset = 0 } : value);
    }

    /// <summary>
    /// <paramref name="visited"/> when the path can stop here, an explored equivalent state having been proven safe;
    /// false when the path loops forever.
    /// </summary>
    private bool IsStateVisited(int pc, VerifierState state, out bool visited)
    {
        visited = false;
        ClearSingularScalarIds(state);
        bool forced = _isForcedCheckpoint[pc] || _steps.Count > 64;
        bool addNew = forced || (_jumpsProcessed - _jumpsAtLastCheckpoint >= 2 && _processed - _processedAtLastCheckpoint >= 8);
        var kept = _explored[pc] ??= [];
        _maxStatesPerInsn = Math.Max(_maxStatesPerInsn, kept.Count);
        for (var i = kept.Count - 1; i >= 0; i--)
        {
            var old = kept[i];
            bool mayGoto = _code[pc].Opcode == Opcodes.MayGoto;
            if (old.Branches > 0 && _isForcedCheckpoint[pc] && !mayGoto)
            {
                // Back at a callback-running call: done once the callback left the caller's state within the earlier one.
                if (_equivalence.Equal(old, state, pc, Equivalence.RangeWithin))
                {
                    old.Hits++;
                    Inherit(old, state);
                    visited = true;
                    return true;
                }

                if (!forced && _jumpsProcessed - _jumpsAtLastCheckpoint < 20 && _processed - _processedAtLastCheckpoint < 100)
                {
                    addNew = false;
                }
            }
            else if (old.Branches > 0)
            {
                // Another may_goto round that stayed within the earlier one's state: the loop converged.
                if (mayGoto && old.State.MayGotoDepth != state.MayGotoDepth && _equivalence.Equal(old, state, pc, Equivalence.RangeWithin))
                {
                    old.Hits++;
                    Inherit(old, state);
                    visited = true;
                    return true;
                }

                bool anotherEntry = (old.State.InAsyncCallback && old.State.AsyncEntries != state.AsyncEntries)
                    || old.State.CallbackRuns != state.CallbackRuns || old.State.IterationDepth != state.IterationDepth
                    || old.State.MayGotoDepth != state.MayGotoDepth;
                if (!anotherEntry && StateEquivalence.MaybeLooping(old.State, state) && _equivalence.Equal(old, state, pc, Equivalence.Exact))
                {
                    return Reject(pc, $"infinite loop detected at insn {pc}");
                }

                // Inside a loop, a checkpoint per iteration would rarely prune anything later.
                if (!forced && _jumpsProcessed - _jumpsAtLastCheckpoint < 20 && _processed - _processedAtLastCheckpoint < 100)
                {
                    addNew = false;
                }
            }
            else if (_equivalence.Equal(old, state, pc, Equivalence.NotExact))
            {
                old.Hits++;
                Inherit(old, state);
                visited = true;
                return true;
            }

            if (addNew)
            {
                old.Misses++;
            }

            // A checkpoint that keeps missing is unlikely to prune anything: drop it, as the kernel does.
            if (old.Misses > old.Hits * 3 + 3)
            {
                kept.RemoveAt(i);
                _liveStates--;
            }
        }

        if (!addNew)
        {
            return true;
        }

        var snapshot = state.Clone();
        snapshot.Update(value => value with { Precise = false });
        var checkpoint = new Checkpoint(snapshot, pc, _parent, _steps, _written);
        kept.Add(checkpoint);
        _totalStates++;
        _peakStates = Math.Max(_peakStates, ++_liveStates);
        _jumpsAtLastCheckpoint = _jumpsProcessed;
        _processedAtLastCheckpoint = _processed;
        _parent = checkpoint;
        _steps = [];
        _written = new ulong[Checkpoint.FrameLimit];
        return true;
    }

    /// <summary>
    /// A stack access of the current instruction: reads mark the slots live in the checkpoints before (up to the one
    /// after a whole-slot write), whole-slot writes screen them; a register spill or fill is remembered for precision.
    /// </summary>
    private void NoteStackAccess(int frame, int offset, int size, bool write, bool spillOrFill)
    {
        if (frame >= Checkpoint.FrameLimit)
        {
            return;
        }

        if (spillOrFill)
        {
            _stepSpill = (frame, offset);
        }

        if (write)
        {
            if (size == 8 && offset % 8 == 0)
            {
                _written[frame] |= 1UL << Checkpoint.SlotOf(offset);
            }

            return;
        }

        for (ulong slots = Checkpoint.SlotsCovering(offset, size); slots != 0; slots &= slots - 1)
        {
            MarkSlotRead(frame, System.Numerics.BitOperations.TrailingZeroCount(slots));
        }
    }

    private void MarkSlotRead(int frame, int slot)
    {
        ulong bit = 1UL << slot;
        if ((_written[frame] & bit) != 0)
        {
            return;
        }

        for (var checkpoint = _parent; checkpoint is not null; checkpoint = checkpoint.Parent)
        {
            if (frame >= checkpoint.State.Frames.Count || (checkpoint.ReadAfter[frame] & bit) != 0)
            {
                return;
            }

            checkpoint.ReadAfter[frame] |= bit;
            if ((checkpoint.WrittenBefore[frame] & bit) != 0)
            {
                return;
            }
        }
    }

    /// <summary>The kernel's last log line.</summary>
    private string Statistics() => string.Create(CultureInfo.InvariantCulture,
        $"processed {_processed} insns (limit {_options.InstructionLimit}) max_states_per_insn {_maxStatesPerInsn} total_states {_totalStates} peak_states {_peakStates} mark_read 0");
}

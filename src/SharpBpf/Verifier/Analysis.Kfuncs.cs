using SharpBpf.Helpers.Kfuncs;
using SharpBpf.Isa;

namespace SharpBpf.Verifier;

/// <summary>
/// Kfunc calls (src 2) as Linux 6.18's check_kfunc_call treats the kfuncs SharpBpf implements (KfuncTable):
/// <list type="bullet">
/// <item>the open-coded number iterator lives in an 8-byte stack slot: new needs a slot that holds no iterator and
/// acquires a reference (leaked: "Unreleased reference"), next and destroy need an initialized one, destroy releases
/// it; the slot cannot be read as data, and writing over it loses the iterator (its reference stays held);</item>
/// <item>next forks as process_iter_next_call does: this path sees the iterator drained (R0 = NULL), a queued path
/// sees it active (R0 = 4 bytes of read-only memory) one iteration deeper, its imprecise scalars that changed since
/// the previous visit of the call widened; back at the call, a state within an ancestor's at the same call ends the
/// path (the loop converged), so a loop needs no bound the verifier can count;</item>
/// <item>bpf_rcu_read_lock/unlock (no nesting) and bpf_preempt_disable/enable (nesting) open sections a program must
/// close before it exits.</item>
/// </list>
/// </summary>
internal sealed partial class Analysis
{
    private bool KfuncCall(int pc, Instruction insn, VerifierState state)
    {
        int id = insn.Immediate;
        if (id == KfuncTable.Unresolved)
        {
            // An unresolved __weak kfunc: libbpf leaves it to the verifier, which must find the call dead.
            return Reject(pc, "invalid kernel function call not eliminated in verifier pass");
        }

        if (!KfuncTable.TryGet(id, out var kfunc))
        {
            return Reject(pc, $"kernel btf_id {id} is not a function");
        }

        if (!_input.IsGplCompatible)
        {
            return Reject(pc, "cannot call kernel function from non-GPL compatible program");
        }

        if (_input.ProgramType is { } type && type != 0 && !kfunc.OfferedTo.Contains(type))
        {
            return Reject(pc, $"calling kernel function {kfunc.Name} is not allowed");
        }

        for (var register = 1; register <= kfunc.Prototype.Parameters.Length; register++)
        {
            if (!RequireInitialized(pc, state, register))
            {
                return false;
            }
        }

        switch (id)
        {
            case KfuncTable.IterNumNew:
                return NewIterator(pc, state);
            case KfuncTable.IterNumNext:
                return NextIteration(pc, state);
            case KfuncTable.IterNumDestroy:
                return DestroyIterator(pc, state);
            case KfuncTable.RcuReadLock:
                if (state.InRcuReadSection)
                {
                    return Reject(pc, $"nested rcu read lock (kernel function {kfunc.Name})");
                }

                state.InRcuReadSection = true;
                break;
            case KfuncTable.RcuReadUnlock:
                if (!state.InRcuReadSection)
                {
                    return Reject(pc, $"unmatched rcu read unlock (kernel function {kfunc.Name})");
                }

                state.InRcuReadSection = false;
                break;
            case KfuncTable.PreemptDisable:
                state.PreemptDisabled++;
                break;
            case KfuncTable.PreemptEnable:
                if (state.PreemptDisabled == 0)
                {
                    return Reject(pc, $"unmatched attempt to enable preemption (kernel function {kfunc.Name})");
                }

                state.PreemptDisabled--;
                break;
        }

        ClobberCallerSaved(state, RegisterValue.NotInit);
        return true;
    }

    /// <summary>check_resource_leak's last checks, after the reference leak: sections left open at the program's end.</summary>
    private bool CheckOpenSections(int pc, VerifierState state, string where)
    {
        if (state.InRcuReadSection)
        {
            return Reject(pc, $"{where} cannot be used inside bpf_rcu_read_lock-ed region");
        }

        if (state.PreemptDisabled > 0)
        {
            return Reject(pc, $"{where} cannot be used inside bpf_preempt_disable-ed region");
        }

        return true;
    }

    private bool NewIterator(int pc, VerifierState state)
    {
        if (!IteratorSlot(pc, state, initialized: false, out var frame, out int at))
        {
            return false;
        }

        int id = NewId();
        state.References = state.References.Add(new AcquiredReference(id, pc));
        frame.Clobber(at, 8);
        frame.Spills[at] = (new RegisterValue(ValueKind.IterActive, ScalarRange.Zero, ReferenceId: id), 8);
        ClobberCallerSaved(state, RegisterValue.UnknownScalar);
        return true;
    }

    private bool NextIteration(int pc, VerifierState state)
    {
        if (!IteratorSlot(pc, state, initialized: true, out var frame, out int at))
        {
            return false;
        }

        var iterator = frame.Spills[at].Value;
        if (iterator.Kind == ValueKind.IterDrained)
        {
            ClobberCallerSaved(state, RegisterValue.Constant(0));
            return true;
        }

        var active = state.Clone();
        active.IterationDepth++;
        // The current value is the iterator's first int, in the frame that holds the iterator (what proves its reads).
        ClobberCallerSaved(active, new RegisterValue(ValueKind.ReadOnlyMemory, ScalarRange.Zero, Frame: state.Frames.IndexOf(frame), MemorySize: sizeof(int)));
        if (PreviousVisit(pc, state) is { } previous)
        {
            WidenChangedScalars(previous.State, active, evenPrecise: false);
        }

        if (!PushPath(pc + 1, active))
        {
            return false;
        }

        frame.Spills[at] = (iterator with { Kind = ValueKind.IterDrained }, 8);
        ClobberCallerSaved(state, RegisterValue.Constant(0));
        return true;
    }

    private bool DestroyIterator(int pc, VerifierState state)
    {
        if (!IteratorSlot(pc, state, initialized: true, out var frame, out int at))
        {
            return false;
        }

        int referenceId = frame.Spills[at].Value.ReferenceId;
        state.References = state.References.RemoveAll(reference => reference.Id == referenceId);
        frame.Spills.Remove(at);
        ClobberCallerSaved(state, RegisterValue.NotInit);
        return true;
    }

    /// <summary>The stack slot R1 points at (the kernel's iter_get_spi and is_iter_reg_valid_init/uninit).</summary>
    private bool IteratorSlot(int pc, VerifierState state, bool initialized, out FrameState frame, out int offset)
    {
        var pointer = state.Registers[1];
        long at = pointer.Offset + (long)pointer.Range.Value;
        frame = state.Current;
        offset = (int)at;
        if (pointer.Kind != ValueKind.Stack || !pointer.HasConstantOffset || at % 8 != 0 || at < -FrameState.StackSize || at + 8 > 0)
        {
            return Reject(pc, "arg#0 expected pointer to an iterator on stack");
        }

        int frameIndex = Math.Min(pointer.Frame, state.CurrentFrameIndex);
        frame = state.Frames[frameIndex];
        bool holdsIterator = frame.Spills.TryGetValue((int)at, out var spill) && spill.Value.Kind.IsIterator();
        if (initialized && !holdsIterator)
        {
            return Reject(pc, "expected an initialized iter_num as arg #0");
        }

        if (!initialized && holdsIterator)
        {
            return Reject(pc, "expected uninitialized iter_num as arg #0");
        }

        NoteStackAccess(frameIndex, (int)at, 8, write: !initialized, spillOrFill: false);
        RecordStackDepth(frame.Function, at);
        return true;
    }

    /// <summary>find_prev_entry: the checkpoint of this call's previous visit on this path (not the one just made for this visit).</summary>
    private Checkpoint? PreviousVisit(int pc, VerifierState state)
    {
        for (var checkpoint = _parent; checkpoint is not null; checkpoint = checkpoint.Parent)
        {
            bool thisVisit = ReferenceEquals(checkpoint, _parent) && _steps.Count == 0;
            if (!thisVisit && checkpoint.Pc == pc && checkpoint.State.Frames.Count == state.Frames.Count)
            {
                return checkpoint;
            }
        }

        return null;
    }

    /// <summary>
    /// An iterator's (or a dynptr's) stack slot is not data: reading any of its bytes is refused, by a load (check_stack_read_fixed_off)
    /// or as a helper's memory argument (check_stack_range_initialized, which names the register).
    /// </summary>
    private bool CheckNotIterator(int pc, FrameState frame, long at, int size, int? helperArgument)
    {
        foreach (var (spilledAt, spilled) in frame.Spills)
        {
            if ((spilled.Value.Kind.IsIterator() || spilled.Value.Kind.IsDynptr()) && spilledAt < at + size && at < spilledAt + spilled.Size)
            {
                string register = helperArgument is { } r ? $"R{r} " : "";
                return Reject(pc, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"invalid read from stack {register}off {at}+{Math.Max(0, spilledAt - at)} size {size}"));
            }
        }

        return true;
    }

    private static bool IsIteratorNext(Instruction insn) =>
        insn.Opcode == Opcodes.Call && insn.Src == (byte)CallSource.Kfunc && insn.Immediate == KfuncTable.IterNumNext;
}

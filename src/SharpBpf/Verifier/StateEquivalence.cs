namespace SharpBpf.Verifier;

/// <summary>How two states are compared (the kernel's enum exact_level).</summary>
internal enum Equivalence
{
    /// <summary>Pruning: the old state's safe continuation proves the new one safe (imprecise scalars match any scalar).</summary>
    NotExact,

    /// <summary>Loop detection: the same state again, field by field (ids up to renaming).</summary>
    Exact,

    /// <summary>Callback convergence: as pruning, but every scalar is compared by range and every stack slot counts.</summary>
    RangeWithin,
}

/// <summary>
/// The kernel's states_equal, func_states_equal, regsafe and stacksafe over SharpBpf's state: registers not live
/// at the instruction are ignored; an imprecise scalar matches any scalar; a precise one must contain the new range;
/// pointers must agree on kind, region and offset, with the old variable part containing the new; ids must map
/// one to one. Stack slots no continuation read are ignored once the old state is fully explored.
/// </summary>
internal sealed class StateEquivalence(ushort[] liveBefore)
{
    private readonly Dictionary<int, int> _oldToCurrent = [];
    private readonly Dictionary<int, int> _currentToOld = [];
    private int _temporaryId;

    public bool Equal(Checkpoint old, VerifierState current, int pc, Equivalence mode)
    {
        var before = old.State;
        if (before.Frames.Count != current.Frames.Count || before.InAsyncCallback != current.InAsyncCallback
            || before.HoldsSpinLock != current.HoldsSpinLock || before.InRcuReadSection != current.InRcuReadSection
            || before.PreemptDisabled != current.PreemptDisabled)
        {
            return false;
        }

        _oldToCurrent.Clear();
        _currentToOld.Clear();
        _temporaryId = 0;
        if (!ReferencesSafe(before, current)
            || !ReferenceEquals(before.SpinLockMap, current.SpinLockMap) || !SameId(before.SpinLockId, current.SpinLockId))
        {
            return false;
        }

        for (var f = 0; f < before.Frames.Count; f++)
        {
            var oldFrame = before.Frames[f];
            var frame = current.Frames[f];
            if (oldFrame.CallSite != frame.CallSite || oldFrame.Function != frame.Function || oldFrame.Exit != frame.Exit
                || oldFrame.ReturnPc != frame.ReturnPc)
            {
                return false;
            }

            int at = f == before.Frames.Count - 1 ? pc : before.Frames[f + 1].CallSite;
            ushort live = at >= 0 ? liveBefore[at] : ushort.MaxValue;
            for (var r = 0; r < FrameState.RegisterCount; r++)
            {
                if ((live & (1 << r)) != 0 && !RegisterSafe(oldFrame.Registers[r], frame.Registers[r], mode))
                {
                    return false;
                }
            }

            if (!StackSafe(oldFrame, frame, mode == Equivalence.NotExact ? old.ReadAfter[f] : ulong.MaxValue, mode))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The kernel's states_maybe_looping: the innermost frames' registers are bit for bit the same.</summary>
    public static bool MaybeLooping(VerifierState old, VerifierState current)
    {
        if (old.Frames.Count != current.Frames.Count)
        {
            return false;
        }

        var a = old.Current.Registers;
        var b = current.Current.Registers;
        for (var r = 0; r < FrameState.RegisterCount; r++)
        {
            if (a[r] with { Precise = false } != b[r] with { Precise = false })
            {
                return false;
            }
        }

        return true;
    }

    private bool RegisterSafe(RegisterValue old, RegisterValue current, Equivalence mode)
    {
        if (mode == Equivalence.Exact)
        {
            return Exact(old, current);
        }

        if (old.Kind == ValueKind.NotInit)
        {
            return true;
        }

        if (old.Kind != current.Kind)
        {
            return false;
        }

        switch (old.Kind)
        {
            case ValueKind.Scalar:
                if (!old.Precise && mode == Equivalence.NotExact)
                {
                    return true;
                }

                // A linked copy must be linked alike (same offset), so that a comparison refines the same registers.
                int offsetFlag = old.Id & RegisterValue.LinkedWithOffset;
                return offsetFlag == (current.Id & RegisterValue.LinkedWithOffset) && (offsetFlag == 0 || old.Offset == current.Offset)
                    && old.Range.Contains(current.Range) && SameScalarId(old.LinkId, current.LinkId);
            case ValueKind.Unknown:
                return true;
            case ValueKind.MapValue or ValueKind.MapKey:
                return ReferenceEquals(old.Map, current.Map) && old.MapUid == current.MapUid && old.Offset == current.Offset
                    && old.Range.Contains(current.Range) && SameId(old.Id, current.Id);
            case ValueKind.RingbufMemory or ValueKind.RingbufMemoryOrNull or ValueKind.Memory or ValueKind.MemoryOrNull
                or ValueKind.DynptrMemory or ValueKind.DynptrMemoryOrNull:
                return old.MemorySize == current.MemorySize && old.Offset == current.Offset && old.Range.Contains(current.Range)
                    && SameId(old.Id, current.Id) && SameId(old.ReferenceId, current.ReferenceId) && SameId(old.DynptrId, current.DynptrId);
            case ValueKind.Packet or ValueKind.PacketMeta:
                // The old path must not have relied on more proven bytes than the new one has.
                return old.PacketRange <= current.PacketRange && old.Offset == current.Offset && SameId(old.Id, current.Id)
                    && old.Range.Contains(current.Range);
            default:
                return Exact(old, current);
        }
    }

    /// <summary>The kernel's regs_exact: every field but the ids, which must map one to one, and the precision mark.</summary>
    private bool Exact(RegisterValue old, RegisterValue current) =>
        old with { Id = 0, ReferenceId = 0, DynptrId = 0, Precise = false } == current with { Id = 0, ReferenceId = 0, DynptrId = 0, Precise = false }
        && SameId(old.Id, current.Id) && SameId(old.ReferenceId, current.ReferenceId) && SameId(old.DynptrId, current.DynptrId);

    /// <summary>
    /// The kernel's refsafe: both states hold as many references, pairwise the same up to id renaming. A path that
    /// released a record is never pruned by one that still holds it, nor the reverse, even where the record's register
    /// is dead: only the exit tells them apart.
    /// </summary>
    private bool ReferencesSafe(VerifierState old, VerifierState current)
    {
        if (old.References.Count != current.References.Count)
        {
            return false;
        }

        for (var i = 0; i < old.References.Count; i++)
        {
            if (!SameId(old.References[i].Id, current.References[i].Id))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// An absent spill is "any bytes" (misc or never written, which a privileged program may read): it covers whatever
    /// the other path holds. A spill covers the same spill; a 64-bit imprecise scalar also covers unknown bytes.
    /// A narrow spill off an 8-byte boundary is the kernel's STACK_ZERO and must be there again.
    /// </summary>
    private bool StackSafe(FrameState old, FrameState current, ulong readSlots, Equivalence mode)
    {
        if (mode == Equivalence.Exact)
        {
            if (old.Spills.Count != current.Spills.Count)
            {
                return false;
            }

            foreach (var (at, spill) in old.Spills)
            {
                if (!current.Spills.TryGetValue(at, out var theirs) || theirs.Size != spill.Size || !Exact(spill.Value, theirs.Value))
                {
                    return false;
                }
            }

            return true;
        }

        foreach (var (at, spill) in old.Spills)
        {
            if ((Checkpoint.SlotsCovering(at, spill.Size) & readSlots) == 0)
            {
                continue;
            }

            // The kernel compares a slot byte by byte: a narrow spill at a slot's start is matched by a spill there
            // that covers at least its bytes (the bytes beyond it were misc, which match anything in a privileged program).
            if (current.Spills.TryGetValue(at, out var theirs) && (theirs.Size == spill.Size || (at % 8 == 0 && theirs.Size > spill.Size)))
            {
                bool safe = at % 8 != 0 ? Exact(spill.Value, theirs.Value) : RegisterSafe(spill.Value, theirs.Value, mode);
                if (!safe)
                {
                    return false;
                }

                continue;
            }

            bool unknownThere = !Overlaps(current, at, spill.Size);
            bool coversUnknown = spill.Size == 8 && at % 8 == 0 && spill.Value.IsScalar && RegisterSafe(spill.Value, RegisterValue.UnknownScalar, mode);
            if (!unknownThere || !coversUnknown)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Overlaps(FrameState frame, int offset, int size)
    {
        foreach (var (at, spill) in frame.Spills)
        {
            if (at < offset + size && offset < at + spill.Size)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The kernel's check_scalar_ids: as <see cref="SameId"/>, but an unlinked scalar (id 0) stands for an id of its
    /// own, so it matches a linked one only if that link is not already matched to another.
    /// </summary>
    private bool SameScalarId(int old, int current) =>
        SameId(old == 0 ? --_temporaryId : old, current == 0 ? --_temporaryId : current);

    /// <summary>The kernel's check_ids: ids correspond one to one between the two states (0 only with 0).</summary>
    private bool SameId(int old, int current)
    {
        if (old == 0 || current == 0)
        {
            return old == current;
        }

        if (_oldToCurrent.TryGetValue(old, out var mapped))
        {
            return mapped == current;
        }

        if (_currentToOld.ContainsKey(current))
        {
            return false;
        }

        _oldToCurrent[old] = current;
        _currentToOld[current] = old;
        return true;
    }
}

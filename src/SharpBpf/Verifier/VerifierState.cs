using SpecialFieldKind = SharpBpf.Btf.SpecialFieldKind;

namespace SharpBpf.Verifier;

/// <summary>The state of one path: the call stack of frames, innermost last (the kernel's <c>bpf_verifier_state</c>).</summary>
internal sealed class VerifierState
{
    public VerifierState(FrameState root, bool inAsyncCallback)
    {
        Frames.Add(root);
        InAsyncCallback = inAsyncCallback;
    }

    private VerifierState(VerifierState other)
    {
        foreach (var frame in other.Frames)
        {
            Frames.Add(frame.Clone());
        }

        InAsyncCallback = other.InAsyncCallback;
        AsyncEntries = other.AsyncEntries;
        CallbackRuns = other.CallbackRuns;
        HoldsSpinLock = other.HoldsSpinLock;
        SpinLockId = other.SpinLockId;
        SpinLockMap = other.SpinLockMap;
        InRcuReadSection = other.InRcuReadSection;
        PreemptDisabled = other.PreemptDisabled;
        IterationDepth = other.IterationDepth;
        MayGotoDepth = other.MayGotoDepth;
        References = other.References;
    }

    public List<FrameState> Frames { get; } = [];

    /// <summary>The path runs a timer callback: its R0 must be 0 at exit and it is its own stack root (R22, R25).</summary>
    public bool InAsyncCallback { get; }

    /// <summary>
    /// How many timer callbacks deep this root is (the kernel's async_entry_cnt): a callback arming itself is verified
    /// again one level deeper, and meeting its earlier state there is not a loop.
    /// </summary>
    public int AsyncEntries { get; init; }

    /// <summary>
    /// How many synchronous callback runs this path has entered (the kernel's callback_unroll_depth): the same state
    /// in another run of a callback body is the callback's repetition, not an infinite loop.
    /// </summary>
    public int CallbackRuns { get; set; }

    /// <summary>Between bpf_spin_lock and bpf_spin_unlock (the kernel's active lock).</summary>
    public bool HoldsSpinLock { get; set; }

    /// <summary>
    /// Which lock is held (the kernel's active_lock_id and active_lock_ptr): the id of the map value it lies in (kept
    /// past the NULL check for values holding a lock, as reg_may_point_to_spin_lock keeps it) and its map.
    /// </summary>
    public int SpinLockId { get; set; }

    public VerifierMap? SpinLockMap { get; set; }

    /// <summary>Between bpf_rcu_read_lock and bpf_rcu_read_unlock (the kernel's active_rcu_lock).</summary>
    public bool InRcuReadSection { get; set; }

    /// <summary>bpf_preempt_disable calls not yet matched by bpf_preempt_enable (the kernel's active_preempt_locks).</summary>
    public int PreemptDisabled { get; set; }

    /// <summary>
    /// Iterations of open-coded iterator loops this path entered (the kernel's iter depth): the same state one
    /// iteration deeper is the loop's next round, not an infinite loop. Never compared for pruning.
    /// </summary>
    public int IterationDepth { get; set; }

    /// <summary>
    /// How many may_goto fall-throughs (loop rounds paid from the budget) this path took (the kernel's may_goto_depth):
    /// the same state one round deeper is where a may_goto loop converges, not an infinite loop. Never compared for pruning.
    /// </summary>
    public int MayGotoDepth { get; set; }

    /// <summary>
    /// References the path holds and must release before the program ends (the kernel's acquired refs, kept per
    /// state since Linux 6.13): each ring buffer record reserved and not yet submitted, discarded or found NULL.
    /// Immutable, so clones share it until one of them acquires or releases.
    /// </summary>
    public System.Collections.Immutable.ImmutableList<AcquiredReference> References { get; set; } = [];

    public FrameState Current => Frames[^1];

    public int CurrentFrameIndex => Frames.Count - 1;

    public RegisterValue[] Registers => Current.Registers;

    public VerifierState Clone() => new(this);

    /// <summary>Replaces every register and spilled value, in every frame (the kernel's bpf_for_each_reg_in_vstate).</summary>
    public void Update(Func<RegisterValue, RegisterValue> change)
    {
        foreach (var frame in Frames)
        {
            for (var r = 0; r < FrameState.RegisterCount; r++)
            {
                frame.Registers[r] = change(frame.Registers[r]);
            }

            foreach (var at in frame.Spills.Keys.ToArray())
            {
                var spill = frame.Spills[at];
                frame.Spills[at] = (change(spill.Value), spill.Size);
            }
        }
    }

    /// <summary>Every register and spill, in every frame, that is a copy of the maybe-NULL pointer <paramref name="id"/>.</summary>
    public void ResolveNullCheck(int id, bool isNull)
    {
        foreach (var frame in Frames)
        {
            for (var r = 0; r < FrameState.RegisterCount; r++)
            {
                frame.Registers[r] = Resolve(frame.Registers[r], id, isNull);
            }

            foreach (var at in frame.Spills.Keys.ToArray())
            {
                var spill = frame.Spills[at];
                frame.Spills[at] = (Resolve(spill.Value, id, isNull), spill.Size);
            }
        }
    }

    /// <summary>
    /// Every copy of the maybe-NULL pointer <paramref name="id"/> is resolved; on the NULL side a reservation that
    /// failed holds nothing to release, so its reference is dropped (the kernel's release_reference_nomark). A socket
    /// cast's NULL proves nothing of the socket it was made from, whose reference it shares: only a pointer that is
    /// its reference's own (id equal to ref_obj_id) drops it.
    /// </summary>
    public void ResolveNullCheck(int id, bool isNull, int referenceId)
    {
        ResolveNullCheck(id, isNull);
        if (isNull && referenceId != 0 && referenceId == id)
        {
            References = References.RemoveAll(reference => reference.Id == referenceId);
        }
    }

    private static RegisterValue Resolve(RegisterValue value, int id, bool isNull)
    {
        if (value.Id != id || !value.Kind.MayBeNull())
        {
            return value;
        }

        if (isNull)
        {
            return RegisterValue.Constant(0);
        }

        var kind = value.Kind switch
        {
            ValueKind.MapValueOrNull => ValueKind.MapValue,
            ValueKind.RingbufMemoryOrNull => ValueKind.RingbufMemory,
            ValueKind.MemoryOrNull => ValueKind.Memory,
            ValueKind.DynptrMemoryOrNull => ValueKind.DynptrMemory,
            ValueKind.SocketOrNull => ValueKind.Socket,
            ValueKind.SockCommonOrNull => ValueKind.SockCommon,
            ValueKind.TcpSockOrNull => ValueKind.TcpSock,
            ValueKind.BtfSocketOrNull => ValueKind.BtfSocket,
            _ => ValueKind.MapPointer,
        };
        // A map value that may hold a bpf_spin_lock keeps its id: bpf_spin_unlock must name the value locked.
        bool keepsId = kind == ValueKind.MapValue && value.Map?.OffsetOf(SpecialFieldKind.SpinLock) is not null;
        return value with { Kind = kind, Id = keepsId ? value.Id : 0 };
    }
}

/// <summary>One reference a path holds: its id (the records' ref_obj_id) and the instruction that acquired it.</summary>
internal readonly record struct AcquiredReference(int Id, int AcquiredAt);

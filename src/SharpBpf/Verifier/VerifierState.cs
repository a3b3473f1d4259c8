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

    private static RegisterValue Resolve(RegisterValue value, int id, bool isNull)
    {
        if (value.Id != id || value.Kind is not (ValueKind.MapValueOrNull or ValueKind.MapPointerOrNull))
        {
            return value;
        }

        if (isNull)
        {
            return RegisterValue.Constant(0);
        }

        return value with { Kind = value.Kind == ValueKind.MapValueOrNull ? ValueKind.MapValue : ValueKind.MapPointer, Id = 0 };
    }
}

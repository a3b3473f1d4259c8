namespace SharpBpf.Verifier;

/// <summary>
/// An explored state kept at a prune point (the kernel's bpf_verifier_state in the explored list): the state before
/// its instruction, the checkpoint before it on the same path, and what the path did in between (the steps, for
/// precision backtracking, and the stack slots it wrote whole, which screen later reads from older checkpoints).
/// <see cref="Branches"/> counts the paths still being explored from here: while it is above zero the checkpoint is
/// an ancestor of unfinished work and may not prune (a loop's earlier iteration), only reveal an infinite loop.
/// </summary>
internal sealed class Checkpoint(VerifierState state, int pc, Checkpoint? parent, List<PathStep> stepsBefore, ulong[] writtenBefore)
{
    public VerifierState State { get; } = state;

    public int Pc { get; } = pc;

    public Checkpoint? Parent { get; } = parent;

    /// <summary>The instructions executed from <see cref="Parent"/> (or the path's start) up to this checkpoint.</summary>
    public List<PathStep> StepsBefore { get; } = stepsBefore;

    /// <summary>Per frame, a bit per 8-byte stack slot written whole between <see cref="Parent"/> and here.</summary>
    public ulong[] WrittenBefore { get; } = writtenBefore;

    /// <summary>Per frame, a bit per 8-byte stack slot some continuation of this checkpoint read before writing it.</summary>
    public ulong[] ReadAfter { get; } = new ulong[FrameLimit];

    public int Branches { get; set; } = 1;

    public int Hits { get; set; }

    public int Misses { get; set; }

    /// <summary>The kernel's MAX_CALL_FRAMES: frame indices in slot bit sets stay below it.</summary>
    public const int FrameLimit = 8;

    /// <summary>The 8-byte slot (0 = fp-512 … 63 = fp-8) holding the byte at a negative frame offset.</summary>
    public static int SlotOf(int offset) => (offset + FrameState.StackSize) >> 3;

    /// <summary>Bits of the slots covering <paramref name="size"/> bytes from <paramref name="offset"/>.</summary>
    public static ulong SlotsCovering(int offset, int size)
    {
        int first = Math.Clamp(SlotOf(offset), 0, 63);
        int last = Math.Clamp(SlotOf(offset + Math.Max(size, 1) - 1), 0, 63);
        ulong bits = 0;
        for (var slot = first; slot <= last; slot++)
        {
            bits |= 1UL << slot;
        }

        return bits;
    }
}

/// <summary>
/// One executed instruction of a path: where, in which frame, and (for a load or store the stack tracks as a
/// register spill) which frame's stack slot it filled from or spilled to, so precision can follow values through the stack.
/// </summary>
/// A callback's exit returns to the helper call that runs it (<see cref="FromCallback"/>), not into R0.
/// <summary>
/// One instruction of a path, with what precision tracking needs to walk back through it: the stack slot a spill or
/// fill used, and at a conditional jump the scalars linked to its operands (<see cref="Linked"/>: a register, or with
/// <c>Register</c> -1 a spilled slot), which are precise together (the kernel's linked_regs in the jump history).
/// </summary>
internal readonly record struct PathStep(int Pc, int Depth, int SpillFrame = -1, int SpillOffset = 0, bool FromCallback = false,
    (int Frame, int Register, int Offset)[]? Linked = null);

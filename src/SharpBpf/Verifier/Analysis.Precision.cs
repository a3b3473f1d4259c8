using SharpBpf.Isa;

namespace SharpBpf.Verifier;

/// <summary>
/// Precision tracking (the kernel's mark_chain_precision and backtrack_insn): when a check relies on a scalar's
/// value (a branch decided by its bounds, a helper's size, a constant map key, a callback's return value), the walk
/// goes back along the path, instruction by instruction and checkpoint by checkpoint, following the value through
/// moves, arithmetic, spills and fills, calls and returns, and marks it precise in every checkpoint it passes. Pruning
/// then compares precise scalars by range and lets every other scalar match any scalar.
/// </summary>
internal sealed partial class Analysis
{
    /// <summary>What still needs precision while walking back: registers per frame and spilled stack slots.</summary>
    private sealed class PrecisionNeeds
    {
        public readonly ushort[] Registers = new ushort[Checkpoint.FrameLimit];
        public readonly HashSet<(int Frame, int Offset)> Slots = [];

        public bool IsEmpty => Slots.Count == 0 && Registers.All(bits => bits == 0);

        public bool Has(int frame, int register) => (Registers[frame] & (1 << register)) != 0;

        public void Set(int frame, int register) => Registers[frame] |= (ushort)(1 << register);

        public void Clear(int frame, int register) => Registers[frame] &= (ushort)~(1 << register);
    }

    /// <summary>The scalar in <paramref name="register"/> of the current frame decides something: mark its history precise.</summary>
    private void MarkPrecise(VerifierState state, int register)
    {
        if (!state.Registers[register].IsScalar)
        {
            return;
        }

        var needs = new PrecisionNeeds();
        needs.Set(state.CurrentFrameIndex, register);
        Backtrack(needs, state.CurrentFrameIndex);
    }

    /// <summary>The scalar spilled at <paramref name="offset"/> of frame <paramref name="frame"/> decides something.</summary>
    private void MarkPreciseSlot(VerifierState state, int frame, int offset)
    {
        var needs = new PrecisionNeeds();
        needs.Slots.Add((frame, offset));
        Backtrack(needs, state.CurrentFrameIndex);
    }

    /// <summary>
    /// A pruned path continues as the explored one did: what that one needed precise, this one's history needs too
    /// (the kernel's propagate_precision), and the stack slots it read are read here (propagate_liveness).
    /// </summary>
    private void Inherit(Checkpoint explored, VerifierState state)
    {
        var needs = new PrecisionNeeds();
        for (var f = 0; f < explored.State.Frames.Count; f++)
        {
            var frame = explored.State.Frames[f];
            for (var r = 0; r < FrameState.RegisterCount; r++)
            {
                if (frame.Registers[r] is { IsScalar: true, Precise: true })
                {
                    needs.Set(f, r);
                }
            }

            foreach (var (at, spill) in frame.Spills)
            {
                if (spill.Value is { IsScalar: true, Precise: true })
                {
                    needs.Slots.Add((f, at));
                }
            }

            for (ulong read = explored.ReadAfter[f]; read != 0; read &= read - 1)
            {
                MarkSlotRead(f, System.Numerics.BitOperations.TrailingZeroCount(read));
            }
        }

        if (!needs.IsEmpty)
        {
            Backtrack(needs, state.CurrentFrameIndex);
        }
    }

    private void Backtrack(PrecisionNeeds needs, int depthNow)
    {
        BacktrackSteps(_steps, needs, depthNow);
        for (var checkpoint = _parent; checkpoint is not null && !needs.IsEmpty; checkpoint = checkpoint.Parent)
        {
            MarkIn(checkpoint, needs);
            if (needs.IsEmpty)
            {
                return;
            }

            BacktrackSteps(checkpoint.StepsBefore, needs, checkpoint.State.CurrentFrameIndex);
        }
    }

    /// <summary>Marks what is needed in a checkpoint's state; what was already precise there was already followed further back.</summary>
    private static void MarkIn(Checkpoint checkpoint, PrecisionNeeds needs)
    {
        var frames = checkpoint.State.Frames;
        for (var f = 0; f < Checkpoint.FrameLimit; f++)
        {
            for (var r = 0; r < FrameState.RegisterCount; r++)
            {
                if (!needs.Has(f, r))
                {
                    continue;
                }

                var value = f < frames.Count ? frames[f].Registers[r] : RegisterValue.NotInit;
                if (!value.IsScalar || value.Precise)
                {
                    needs.Clear(f, r);
                    continue;
                }

                frames[f].Registers[r] = value with { Precise = true };
            }
        }

        foreach (var (f, at) in needs.Slots.ToArray())
        {
            if (f >= frames.Count || !frames[f].Spills.TryGetValue(at, out var spill) || !spill.Value.IsScalar || spill.Value.Precise)
            {
                needs.Slots.Remove((f, at));
                continue;
            }

            frames[f].Spills[at] = (spill.Value with { Precise = true }, spill.Size);
        }
    }

    /// <summary>Walks the steps backwards, each turning "needed after it" into "needed before it".</summary>
    private void BacktrackSteps(List<PathStep> steps, PrecisionNeeds needs, int depthAfter)
    {
        for (var i = steps.Count - 1; i >= 0 && !needs.IsEmpty; i--)
        {
            int after = i + 1 < steps.Count ? steps[i + 1].Depth : depthAfter;
            BacktrackStep(steps[i], after, needs);
        }
    }

    private void BacktrackStep(PathStep step, int depthAfter, PrecisionNeeds needs)
    {
        var insn = _code[step.Pc];
        int d = step.Depth;
        if (depthAfter == d + 1)
        {
            // Entering a callee (or a callback): its arguments came from this frame; whatever else it needed was born there.
            ushort callee = needs.Registers[d + 1];
            needs.Registers[d + 1] = 0;
            if (insn.Opcode == Opcodes.Call && insn.Src == (byte)CallSource.Local)
            {
                needs.Registers[d] |= (ushort)(callee & 0b11_1110);
            }

            return;
        }

        if (depthAfter == d - 1 && step.FromCallback)
        {
            // A callback's exit goes back to its helper call: the caller's registers are the ones it had there.
            needs.Registers[d] = 0;
            return;
        }

        if (depthAfter == d - 1)
        {
            // Returning: the caller's R0 is the callee's; its R1–R5 were clobbered, R6–R9 untouched.
            if (needs.Has(d - 1, 0))
            {
                needs.Clear(d - 1, 0);
                needs.Set(d, 0);
            }

            needs.Registers[d - 1] &= unchecked((ushort)~0b11_1110);
            return;
        }

        bool fromRegister = (insn.Opcode & 0x08) != 0;
        switch (insn.Class)
        {
            case InstructionClass.Alu or InstructionClass.Alu64:
                if (!needs.Has(d, insn.Dst))
                {
                    return;
                }

                var op = (AluOperation)(insn.Opcode & 0xf0);
                if (op == AluOperation.Mov)
                {
                    needs.Clear(d, insn.Dst);
                    if (fromRegister)
                    {
                        needs.Set(d, insn.Src);
                    }
                }
                else if (fromRegister && op is not (AluOperation.Neg or AluOperation.End))
                {
                    needs.Set(d, insn.Src);
                }

                return;
            case InstructionClass.Ld:
                needs.Clear(d, insn.IsLoadImm64 ? insn.Dst : 0);
                return;
            case InstructionClass.Ldx:
                if (needs.Has(d, insn.Dst))
                {
                    needs.Clear(d, insn.Dst);
                    if (step.SpillFrame >= 0)
                    {
                        needs.Slots.Add((step.SpillFrame, step.SpillOffset));
                    }
                }

                return;
            case InstructionClass.St or InstructionClass.Stx:
                if ((insn.Opcode & 0xe0) == (byte)AccessMode.Atomic)
                {
                    var atomic = (AtomicOperation)insn.Immediate;
                    needs.Clear(d, atomic == AtomicOperation.CmpXchg ? 0 : insn.Src);
                    return;
                }

                if (step.SpillFrame >= 0 && needs.Slots.Remove((step.SpillFrame, step.SpillOffset)) && insn.Class == InstructionClass.Stx)
                {
                    needs.Set(d, insn.Src);
                }

                return;
        }

        var jump = (JumpOperation)(insn.Opcode & 0xf0);
        MarkLinkedTogether(step, needs);
        if (jump == JumpOperation.Call)
        {
            // A helper's result is born at the call; its arguments are gone after it.
            needs.Registers[d] &= unchecked((ushort)~0b11_1111);
        }
        else if (jump is not (JumpOperation.Ja or JumpOperation.Exit) && fromRegister && (needs.Has(d, insn.Dst) || needs.Has(d, insn.Src)))
        {
            needs.Set(d, insn.Dst);
            needs.Set(d, insn.Src);
        }

        MarkLinkedTogether(step, needs);
    }

    /// <summary>Scalars linked at a comparison learned their bounds together: if one is needed precise, all are.</summary>
    private static void MarkLinkedTogether(PathStep step, PrecisionNeeds needs)
    {
        if (step.Linked is null || !step.Linked.Any(l => l.Register >= 0 ? needs.Has(l.Frame, l.Register) : needs.Slots.Contains((l.Frame, l.Offset))))
        {
            return;
        }

        foreach (var (frame, register, offset) in step.Linked)
        {
            if (register >= 0)
            {
                needs.Set(frame, register);
            }
            else
            {
                needs.Slots.Add((frame, offset));
            }
        }
    }
}

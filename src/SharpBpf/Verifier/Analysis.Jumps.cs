using SharpBpf.Isa;

namespace SharpBpf.Verifier;

internal sealed partial class Analysis
{
    /// <summary>
    /// may_goto as the kernel walks it: this path takes the jump (the budget is spent), the fall-through (another
    /// round) waits one may_goto depth deeper, its imprecise scalars that changed since the previous visit widened
    /// (widen_imprecise_scalars) so the rounds converge.
    /// </summary>
    private bool MayGoto(int pc, Instruction insn, VerifierState state, out int? next)
    {
        next = pc + 1 + insn.Offset;
        var round = state.Clone();
        round.MayGotoDepth++;
        if (PreviousVisit(pc, state) is { } previous)
        {
            WidenChangedScalars(previous.State, round, evenPrecise: false);
        }

        return PushPath(pc + 1, round);
    }

    private bool Jump(int pc, Instruction insn, VerifierState state, out int? next)
    {
        var op = (JumpOperation)(insn.Opcode & 0xf0);
        bool is32 = insn.Class == InstructionClass.Jmp32;
        switch (op)
        {
            case JumpOperation.Ja:
                next = pc + 1 + (is32 ? insn.Immediate : insn.Offset);
                return true;
            case JumpOperation.Exit:
                return Exit(pc, state, out next);
            case JumpOperation.Call:
                return Call(pc, insn, state, out next);
            case JumpOperation.Jcond:
                return MayGoto(pc, insn, state, out next);
        }

        next = pc + 1;
        if (!RequireInitialized(pc, state, insn.Dst))
        {
            return false;
        }

        bool fromRegister = (insn.Opcode & 0x08) != 0;
        if (fromRegister && !RequireInitialized(pc, state, insn.Src))
        {
            return false;
        }

        var regs = state.Registers;
        var left = regs[insn.Dst];
        var right = fromRegister ? regs[insn.Src] : RegisterValue.Constant(is32 ? (uint)insn.Immediate : (ulong)(long)insn.Immediate);
        int target = pc + 1 + insn.Offset;

        var taken = state.Clone();
        var (canTake, canFall) = Decide(op, is32, left, right, insn, taken, state, fromRegister);
        if (left.IsScalar && right.IsScalar)
        {
            _stepLinked = LinkedScalars(state, left.LinkId, fromRegister ? right.LinkId : 0);
            foreach (var register in fromRegister ? [insn.Src, insn.Dst] : new[] { insn.Dst })
            {
                SyncLinkedScalars(taken, register);
                SyncLinkedScalars(state, register);
            }
        }

        if (canTake && canFall)
        {
            return PushPath(target, taken);
        }

        // The operands' values decided the branch: a path that differs in them may go the other way (precision).
        MarkPrecise(state, insn.Dst);
        if (fromRegister)
        {
            MarkPrecise(state, insn.Src);
        }

        if (canTake)
        {
            // The fall-through is impossible: continue on the taken side with its refined state.
            state.Frames.Clear();
            state.Frames.AddRange(taken.Frames);
            next = target;
            return true;
        }

        next = canFall ? pc + 1 : null;
        return true;
    }

    /// <summary>
    /// The kernel's sync_linked_regs: every scalar linked to the one a comparison just refined (in any frame, in a
    /// register or spilled) learns the same bounds, shifted by the difference of their offsets.
    /// </summary>
    private static void SyncLinkedScalars(VerifierState state, int register)
    {
        var known = state.Registers[register];
        if (!known.IsScalar || known.Id == 0)
        {
            return;
        }

        state.Update(value =>
        {
            if (!value.IsScalar || value.Id == 0 || value.LinkId != known.LinkId)
            {
                return value;
            }

            bool offsetLinked = ((value.Id | known.Id) & RegisterValue.LinkedWithOffset) != 0;
            if (!offsetLinked || value.Offset == known.Offset)
            {
                return known with { Precise = value.Precise };
            }

            var delta = ScalarRange.Constant((ulong)(value.Offset - known.Offset));
            return known with { Range = ScalarArithmetic.Apply(AluOperation.Add, true, known.Range, delta), Id = value.Id, Offset = value.Offset, Precise = value.Precise };
        });
    }

    /// <summary>Where the scalars with either link id are (registers and spilled slots of every frame), or null.</summary>
    private static (int Frame, int Register, int Offset)[]? LinkedScalars(VerifierState state, int first, int second)
    {
        if (first == 0 && second == 0)
        {
            return null;
        }

        var linked = new List<(int, int, int)>();
        for (var f = 0; f < state.Frames.Count; f++)
        {
            var frame = state.Frames[f];
            for (var r = 0; r < FrameState.RegisterCount; r++)
            {
                if (IsLinked(frame.Registers[r]))
                {
                    linked.Add((f, r, 0));
                }
            }

            foreach (var (at, spill) in frame.Spills)
            {
                if (IsLinked(spill.Value))
                {
                    linked.Add((f, -1, at));
                }
            }
        }

        return linked.Count > 1 ? [.. linked] : null;

        bool IsLinked(RegisterValue value) => value is { IsScalar: true, Id: not 0 } && (value.LinkId == first || value.LinkId == second);
    }

    /// <summary>
    /// Which sides of a conditional jump can happen, refining the registers on each side (<paramref name="taken"/> and
    /// <paramref name="fall"/> are the two states) as the kernel's is_branch_taken and reg_set_min_max do.
    /// </summary>
    private static (bool Take, bool Fall) Decide(JumpOperation op, bool is32, RegisterValue left, RegisterValue right,
        Instruction insn, VerifierState taken, VerifierState fall, bool fromRegister)
    {
        if (left.IsScalar && right.IsScalar)
        {
            return BranchRefinement.Refine(op, is32, left.Range, right.Range, insn.Dst, fromRegister ? insn.Src : -1, taken, fall);
        }

        if (fromRegister && !is32 && left.IsPacketAny() && right.IsPacketAny())
        {
            if (PacketComparison.KnownOutcome(op, left, right) is { } outcome)
            {
                return (outcome, !outcome);
            }

            PacketComparison.Learn(op, insn.Dst, insn.Src, left, right, taken, fall);
            return (true, true);
        }

        if (op is not (JumpOperation.Jeq or JumpOperation.Jne))
        {
            return (true, true);
        }

        // A pointer compared with NULL.
        var (pointer, other) = left.IsPointer ? (left, right) : (right, left);
        if (!pointer.IsPointer || !other.IsScalar || !other.Range.IsConstant || other.Range.Value != 0)
        {
            return (true, true);
        }

        // The kernel's reg_not_null does not count the context among pointers known to be non-NULL (measured on
        // 6.18: a context compared with 0 walks both branches).
        if (pointer.Kind.IsNonNullPointer() && pointer.Kind != ValueKind.Context)
        {
            return op == JumpOperation.Jeq ? (false, true) : (true, false);
        }

        if (pointer.Id != 0)
        {
            taken.ResolveNullCheck(pointer.Id, isNull: op == JumpOperation.Jeq, pointer.ReferenceId);
            fall.ResolveNullCheck(pointer.Id, isNull: op == JumpOperation.Jne, pointer.ReferenceId);
        }

        return (true, true);
    }
}

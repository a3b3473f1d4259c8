using SharpBpf.Execution;
using SharpBpf.Isa;

namespace SharpBpf.Jit;

/// <summary>
/// Splits a program into budget segments so compiled code charges the instruction budget once per segment instead of
/// once per instruction, yet faults at the same instruction as the interpreter. A segment is a straight run of
/// instructions that starts at a leader (slot 0, a jump or call target, the slot after a segment end, the end
/// sentinel) and whose only instruction with an effect anyone can observe — a memory access that may fault or write
/// (but for a store to the run's own stack that cannot fault), a call, a jump, exit, a packet load — is its last. So when the budget runs out inside a segment, every instruction
/// before the one that exhausts it only changed registers, which a fault discards: faulting at once at the exact
/// index is indistinguishable from stepping there.
/// It does not decide how entries in the middle of a segment are charged: that is <see cref="Charge"/>'s reader.
/// </summary>
internal sealed class SegmentPlan
{
    private SegmentPlan(bool[] isLeader, int[] charge, bool[] mergedJump)
    {
        IsLeader = isLeader;
        Charge = charge;
        MergedJump = mergedJump;
    }

    /// <summary>
    /// Per slot: true for an unconditional jump whose target's segment is charged with the jump's own (so
    /// <see cref="Charge"/> of every slot before it in its segment includes the target's segment): the compiled jump
    /// goes to the target's code past its charge. A loop's back edge then charges the loop head with the jump, one
    /// budget subtraction less per iteration. A budget fault's walk follows such a jump (<see cref="NextStep"/>).
    /// </summary>
    public bool[] MergedJump { get; }

    /// <summary>
    /// The instruction executed after <paramref name="slot"/> when it is not an observable one: the next, or an
    /// unconditional jump's target (only merged jumps are ever walked over).
    /// </summary>
    public static int NextStep(ReadOnlySpan<Instruction> program, int slot) =>
        IsUnconditionalJump(program[slot]) ? (int)ProgramValidator.JumpTarget(program[slot], slot)!.Value
        : slot + (program[slot].IsLoadImm64 ? 2 : 1);

    private static bool IsUnconditionalJump(Instruction insn) => insn.Opcode is Opcodes.Ja or Opcodes.Ja32;

    /// <summary>Per slot (plus the end sentinel): true when a segment starts there.</summary>
    public bool[] IsLeader { get; }

    /// <summary>
    /// Per slot: the instructions from this slot to the end of its segment (an <c>lddw</c> counts once); at a leader
    /// this is the segment's length. Entering at an arbitrary slot (an entry point, <c>callx</c>) charges this.
    /// 0 for the second slot of an <c>lddw</c>.
    /// </summary>
    public int[] Charge { get; }

    /// <param name="needsCheck">Per slot, whether its memory access is checked (and so may fault).</param>
    /// <param name="extraLeaders">
    /// Slots that must start a segment besides the program's own (chunk starts). Cutting a segment is always exact:
    /// its first part has no observable instruction at all.
    /// </param>
    /// <param name="mergeJumps">Merge unconditional jumps with their targets' segments (<see cref="MergedJump"/>): only
    /// where jump and target are compiled into one method (not for a split program).</param>
    public static SegmentPlan Build(ReadOnlySpan<Instruction> program, Func<int, bool> needsCheck, ReadOnlySpan<int> extraLeaders = default, bool mergeJumps = false)
    {
        var length = program.Length;
        var isLeader = new bool[length + 1];
        isLeader[0] = true;
        isLeader[length] = true;
        foreach (var slot in extraLeaders)
        {
            isLeader[slot] = true;
        }

        for (var pc = 0; pc < length; pc++)
        {
            var insn = program[pc];
            var next = insn.IsLoadImm64 ? pc + 2 : pc + 1;
            if (ProgramValidator.JumpTarget(insn, pc) is { } target)
            {
                isLeader[(int)target] = true;
            }

            if (EndsSegment(insn, needsCheck(pc)))
            {
                isLeader[next] = true;
            }

            pc = next - 1;
        }

        var starts = new List<int>(length);
        for (var pc = 0; pc < length; pc += program[pc].IsLoadImm64 ? 2 : 1)
        {
            starts.Add(pc);
        }

        var charge = new int[length];
        for (var i = starts.Count - 1; i >= 0; i--)
        {
            var pc = starts[i];
            var next = program[pc].IsLoadImm64 ? pc + 2 : pc + 1;
            charge[pc] = 1 + (isLeader[next] ? 0 : charge[next]);
        }

        var mergedJump = new bool[length];
        if (mergeJumps)
        {
            MergeJumps(program, starts, isLeader, charge, mergedJump);
        }

        return new SegmentPlan(isLeader, charge, mergedJump);
    }

    /// <summary>
    /// A segment that ends in an unconditional jump charges its target's segment with its own, unless that segment
    /// also ends in one (no chains: each jump adds one segment) or is the jump's own.
    /// </summary>
    private static void MergeJumps(ReadOnlySpan<Instruction> program, List<int> starts, bool[] isLeader, int[] charge, bool[] mergedJump)
    {
        var original = (int[])charge.Clone();
        var segmentStart = 0;
        for (var i = 0; i < starts.Count; i++)
        {
            var pc = starts[i];
            if (isLeader[pc])
            {
                segmentStart = pc;
            }

            if (!IsUnconditionalJump(program[pc]))
            {
                continue;
            }

            var target = (int)ProgramValidator.JumpTarget(program[pc], pc)!.Value;
            if (target == segmentStart || target >= program.Length || EndsInUnconditionalJump(program, original, target))
            {
                continue;
            }

            mergedJump[pc] = true;
            for (var slot = segmentStart; slot <= pc; slot++)
            {
                if (original[slot] > 0)
                {
                    charge[slot] += original[target];
                }
            }
        }
    }

    private static bool EndsInUnconditionalJump(ReadOnlySpan<Instruction> program, int[] charge, int leader)
    {
        var slot = leader;
        for (var step = 1; step < charge[leader]; step++)
        {
            slot += program[slot].IsLoadImm64 ? 2 : 1;
        }

        return IsUnconditionalJump(program[slot]);
    }

    /// <summary>
    /// Instructions after which a budget fault could no longer be placed by register state alone. Loads only matter
    /// where they are checked, where they can fault; unchecked loads (unchecked mode, or proven) just fill a register.
    /// A store through r10 that cannot fault only writes the run's own stack, which nobody sees after a fault (the run
    /// ends and its stack is cleared before the next): a budget fault later in its segment may come before it.
    /// </summary>
    private static bool EndsSegment(Instruction insn, bool isChecked) => insn.Class switch
    {
        InstructionClass.Jmp or InstructionClass.Jmp32 => true,
        InstructionClass.Ld => !insn.IsLoadImm64,
        InstructionClass.St or InstructionClass.Stx => isChecked || insn.Dst != 10,
        InstructionClass.Ldx => isChecked,
        _ => false,
    };
}

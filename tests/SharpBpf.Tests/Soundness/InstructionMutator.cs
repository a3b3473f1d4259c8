using SharpBpf.Isa;

namespace SharpBpf.Tests.Soundness;

/// <summary>
/// Small random edits to a real program: a memory offset or access size, a branch target, an immediate, a register.
/// The slots of an <c>lddw</c> stay as they are (they carry the map relocations the runtime links).
/// </summary>
internal sealed class InstructionMutator(Random random)
{
    private static readonly int[] Interesting = [0, 1, -1, 2, 4, 7, 8, 14, 15, 16, 20, 24, 31, 32, 63, 64, 255, 256, 511, 512, -512, int.MaxValue, int.MinValue];

    /// <summary>The slots a mutation may touch (not lddw halves).</summary>
    public static int[] MutableSlots(IReadOnlyList<Instruction> code)
    {
        var slots = new List<int>();
        for (var pc = 0; pc < code.Count; pc++)
        {
            if (code[pc].IsLoadImm64)
            {
                pc++;
                continue;
            }

            slots.Add(pc);
        }

        return [.. slots];
    }

    /// <summary>One to three edits, the same ones applied to both copies (unlinked for the verifier, linked for the engine).</summary>
    public void Mutate(Instruction[] forVerifier, Instruction[] linked, int[] slots)
    {
        var edits = random.Next(1, 4);
        for (var i = 0; i < edits; i++)
        {
            var pc = slots[random.Next(slots.Length)];
            var mutated = Edit(forVerifier[pc]);
            forVerifier[pc] = mutated;
            linked[pc] = mutated;
        }
    }

    private Instruction Edit(Instruction insn)
    {
        var isMemory = insn.Class is InstructionClass.Ldx or InstructionClass.St or InstructionClass.Stx;
        var isJump = insn.Class is InstructionClass.Jmp or InstructionClass.Jmp32;
        switch (random.Next(5))
        {
            case 0 when isMemory || isJump:
                // An offset (a memory displacement or a branch target) moved a little.
                return insn.WithOffset((short)(insn.Offset + random.Next(5) switch { 0 => 1, 1 => -1, 2 => 8, 3 => -8, _ => random.Next(-16, 17) }));
            case 1 when isMemory && (insn.Opcode & 0xe0) != 0xc0:
                // Another access size (byte, half, word, double word).
                return new Instruction((byte)((insn.Opcode & ~0x18) | (random.Next(4) << 3)), insn.Dst, insn.Src, insn.Offset, insn.Immediate);
            case 2:
                return insn.WithImmediate(random.Next(2) == 0 ? Interesting[random.Next(Interesting.Length)] : insn.Immediate + random.Next(-9, 10));
            case 3:
                return new Instruction(insn.Opcode, (byte)random.Next(0, 11), insn.Src, insn.Offset, insn.Immediate);
            default:
                return insn.WithSrc((byte)random.Next(0, 11));
        }
    }
}

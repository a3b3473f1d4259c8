using SharpBpf.Isa;

namespace SharpBpf.Jit;

/// <summary>
/// Where a long program is cut into separately compiled methods. The .NET JIT's time on one method grows about
/// quadratically with its size, so a program longer than <see cref="SplitAbove"/> slots (by default) becomes chunks of
/// at most <see cref="ChunkSize"/> slots, each its own method; shorter programs stay one method (no cost at chunk borders).
/// A cut goes where the fewest jumps cross it, preferring a segment start (a BPF function's start crosses none but
/// its calls), so loops stay inside one chunk. Every cut becomes a segment start, so a chunk is entered only at the
/// start of a budget segment (a chunk charges what it runs).
/// </summary>
internal static class ChunkPlan
{
    public const int SplitAbove = 2_000;
    public const int ChunkSize = 1_000;

    /// <summary>The first slot of every chunk, ascending, starting with 0; just [0] when the program stays one method.</summary>
    public static int[] Starts(ReadOnlySpan<Instruction> program, SegmentPlan plan, int splitAbove, int chunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 4);
        var length = program.Length;
        if (length <= splitAbove)
        {
            return [0];
        }

        var crossing = CrossingJumps(program);
        var starts = new List<int> { 0 };
        var start = 0;
        while (length - start > chunkSize)
        {
            var best = -1;
            for (var cut = start + chunkSize; cut > start + chunkSize / 2; cut--)
            {
                if (cut > 0 && program[cut - 1].IsLoadImm64)
                {
                    continue;
                }

                // A cut inside a segment costs a budget charge more; count it like one more crossing.
                var cost = crossing[cut] + (plan.IsLeader[cut] ? 0 : 1);
                var bestCost = best < 0 ? int.MaxValue : crossing[best] + (plan.IsLeader[best] ? 0 : 1);
                if (cost < bestCost)
                {
                    best = cut;
                }
            }

            starts.Add(best);
            start = best;
        }

        return [.. starts];
    }

    /// <summary>Per slot: how many jumps and calls (and the fall-through into it) pass between the slot before it and it.</summary>
    private static int[] CrossingJumps(ReadOnlySpan<Instruction> program)
    {
        var delta = new int[program.Length + 2];
        for (var pc = 0; pc < program.Length; pc++)
        {
            var insn = program[pc];
            if (ProgramValidator.JumpTarget(insn, pc) is { } target)
            {
                var (low, high) = target < pc ? ((int)target, pc) : (pc, (int)target);
                delta[low + 1]++;
                delta[high + 1]--;
            }

            if (pc + 1 < program.Length && !(insn.Opcode is Opcodes.Ja or Opcodes.Ja32 or Opcodes.Exit))
            {
                delta[pc + 1]++;
                delta[pc + 2]--;
            }
        }

        var crossing = new int[program.Length + 1];
        var sum = 0;
        for (var slot = 0; slot <= program.Length; slot++)
        {
            sum += delta[slot];
            crossing[slot] = sum;
        }

        return crossing;
    }
}

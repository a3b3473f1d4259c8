using SharpBpf.Execution;
using SharpBpf.Isa;
using SharpBpf.Jit;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Jit;

/// <summary>
/// Long programs are compiled as several methods (ChunkPlan): with the default limits, a loop and calls that cross chunk
/// borders run as on the interpreter, budgets included. (Every parity test also runs a JIT split into 4-slot chunks.)
/// </summary>
[Collection(nameof(EngineParityCollection))]
public class JitSplitTests
{
    /// <summary>
    /// main: r6 counts 4 loop rounds over a body longer than a chunk that stores and reloads the stack and calls f (placed
    /// after main, across more chunks), then exits with r0. f mixes its arguments into r0 over about a thousand slots.
    /// </summary>
    private static Instruction[] LongProgram()
    {
        var body = new List<Instruction>();
        for (var i = 0; i < 1_300; i++)
        {
            body.Add((i % 5) switch
            {
                0 => Add(0, i),
                1 => I(Opcodes.Xor64Reg, 7, 0),
                2 => I(Opcodes.StxDw, 10, 7, -8 * (1 + (i % 4))),
                3 => I(Opcodes.LdxDw, 8, 10, -8 * (1 + ((i + 1) % 4))),
                _ => AddReg(0, 8),
            });
        }

        var callee = new List<Instruction> { MovReg(0, 1) };
        for (var i = 0; i < 1_000; i++)
        {
            callee.Add(i % 3 == 0 ? I(Opcodes.Mul64Imm, 0, imm: 3) : i % 3 == 1 ? AddReg(0, 2) : I(Opcodes.Rsh64Imm, 0, imm: 1));
        }

        callee.Add(Exit());
        var main = new List<Instruction> { Mov(0, 0), Mov(6, 0), Mov(7, 0), Mov(8, 0), I(Opcodes.StDw, 10, off: -8), I(Opcodes.StDw, 10, off: -16), I(Opcodes.StDw, 10, off: -24), I(Opcodes.StDw, 10, off: -32) };
        var loopStart = main.Count;
        main.AddRange(body);
        main.Add(MovReg(9, 0));
        main.Add(MovReg(1, 0));
        main.Add(MovReg(2, 6));
        var callSlot = main.Count;
        main.Add(CallLocal(0)); // patched below
        main.Add(AddReg(0, 9));
        main.Add(Add(6, 1));
        main.Add(I(Opcodes.JltImm, 6, off: loopStart - (main.Count + 1), imm: 4));
        main.Add(Exit());
        main[callSlot] = CallLocal(main.Count - (callSlot + 1));
        return [.. main, .. callee];
    }

    [Fact]
    public void A_program_longer_than_the_split_limit_becomes_several_methods()
    {
        var program = LongProgram();
        var starts = ChunkPlan.Starts(program, SegmentPlan.Build(program, _ => true), ChunkPlan.SplitAbove, ChunkPlan.ChunkSize);
        Assert.True(starts.Length >= 3, $"chunks start at {string.Join(", ", starts)}");
    }

    [Fact]
    public void A_split_program_runs_as_on_the_interpreter_with_every_budget_around_its_end()
    {
        var program = LongProgram();
        var full = new EngineOptions { InstructionBudget = 1_000_000 };
        var outcome = EngineParity.Both(program, full, new byte[8], _ => new RunContext());
        Assert.Null(outcome.Kind);
        Assert.True(outcome.Executed > 4 * 2_300, $"executed {outcome.Executed}");

        // Budgets that run out in the first chunk, in the callee, right at the chunk borders and at the very end.
        var budgets = new[] { 1L, 500, 999, 1_000, 1_001, 1_310, 1_320, 2_400, outcome.Executed - 1, outcome.Executed }
            .Concat(Enumerable.Range(0, 40).Select(i => 1_290L + i));
        foreach (var budget in budgets)
        {
            foreach (var mode in new[] { ExecutionMode.Checked, ExecutionMode.Unchecked })
            {
                EngineParity.Both(program, new EngineOptions { Mode = mode, InstructionBudget = budget }, new byte[8], _ => new RunContext());
            }
        }
    }

    [Fact]
    public void Cuts_go_between_functions_where_no_jump_crosses()
    {
        // Three functions of 900 slots each: main calls the other two; no jump crosses 900 or 1800.
        static IEnumerable<Instruction> Straight(int count) => Enumerable.Range(0, count).Select(i => Add(0, i));
        var main = Straight(897).Append(CallLocal(900 - 898 + 0)).Append(CallLocal(1800 - 899)).Append(Exit());
        var program = main.Concat(Straight(899)).Append(Exit()).Concat(Straight(899)).Append(Exit()).ToArray();
        Assert.Equal(2_700, program.Length);
        Assert.Equal([0, 900, 1_800], ChunkPlan.Starts(program, SegmentPlan.Build(program, _ => true), ChunkPlan.SplitAbove, ChunkPlan.ChunkSize));
        EngineParity.Both(program, new EngineOptions(), new byte[8], _ => new RunContext());
    }
}

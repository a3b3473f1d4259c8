using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Isa;
using SharpBpf.Jit;
using SharpBpf.Tests.Interpreter;
using SharpBpf.Tests.Support;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Jit;

/// <summary>
/// The JIT charges the budget per segment, not per instruction; these sweep every budget around the points where a
/// segment, a call, a callback or an entry in the middle of a segment could be miscounted.
/// </summary>
[Collection(nameof(EngineParityCollection))]
public class JitBudgetAndEntryTests
{
    private static HelperRegistry LoopHelper() => new HelperRegistry().Register(181, "loop", (ctx, nr, callback, data, _, _) =>
    {
        ulong i = 0;
        while (i < nr && ctx.InvokeSubprogram(callback, i, data) == 0)
        {
            i++;
        }

        return i;
    });

    [Fact]
    public void Every_budget_faults_at_the_same_instruction_as_the_interpreter()
    {
        var programs = new[]
        {
            (AluLoop.Build(), (HelperRegistry?)null, 120),
            (JitFaultTests.LoopProgram(6, -1), LoopHelper(), 60),
            (P(Mov(1, 3), CallLocal(1), Exit(),                     // recursion with stores on every level
                I(Opcodes.StxDw, 10, 1, -8), I(Opcodes.JeqImm, 1, 0, 3, 0), Add(1, -1), CallLocal(-4),
                I(Opcodes.LdxDw, 2, 10, -8), AddReg(0, 2), Exit()), null, 40),
        };
        foreach (var (program, helpers, maxBudget) in programs)
        {
            for (var budget = 1; budget <= maxBudget; budget++)
            {
                foreach (var mode in new[] { ExecutionMode.Checked, ExecutionMode.Unchecked })
                {
                    var options = new EngineOptions { Mode = mode, Helpers = helpers, InstructionBudget = budget };
                    EngineParity.Both(program, options, new byte[8], _ => new RunContext());
                }
            }
        }
    }

    /// <summary>
    /// A loop whose back edge (slot 10) is an unconditional jump merged with the loop head's segment, an r10 store that
    /// ends no segment when it cannot fault (slot 3), a store to the context buffer in the loop that must (slot 5), a
    /// jump to a jump (11 → 13, not merged: no chains), a jump to a store-only segment (13 → 15) and a ja32 (16 → 17).
    /// </summary>
    private static Instruction[] MergedJumpLoop() => P(
        MovReg(6, 1), Mov(0, 0), Mov(1, 4),
        I(Opcodes.StxDw, 10, 1, -8), Add(0, 3), I(Opcodes.StxDw, 6, 0, 0), I(Opcodes.LdxDw, 2, 10, -8), AddReg(0, 2), Add(1, -1),
        I(Opcodes.JeqImm, 1, 0, 2, 0), Mov(3, 1), I(Opcodes.Ja, off: -9),
        I(Opcodes.Ja, off: 1), Exit(),
        I(Opcodes.Ja, off: 1), Exit(),
        I(Opcodes.StDw, 10, 0, -16, 7), I(Opcodes.Ja32, imm: 0),
        Exit());

    [Fact]
    public void Jumps_merged_with_their_targets_and_stack_stores_inside_segments_fault_as_the_interpreter()
    {
        var program = MergedJumpLoop();
        for (var budget = 1; budget <= 70; budget++)
        {
            foreach (var mode in new[] { ExecutionMode.Checked, ExecutionMode.Unchecked })
            {
                var options = new EngineOptions { Mode = mode, InstructionBudget = budget };
                EngineParity.Both(program, options, new byte[8], address =>
                    new RunContext { R1 = address }.AddRegion((nint)address, 8, MemoryAccess.ReadWrite, RegionKind.Input));
            }
        }
    }

    [Fact]
    public void The_segment_plan_merges_a_back_edge_and_keeps_a_stack_store_that_cannot_fault_inside_its_segment()
    {
        var program = MergedJumpLoop();
        var unchecked_ = SegmentPlan.Build(program, _ => false, mergeJumps: true);
        Assert.False(unchecked_.IsLeader[4]);                       // the r10 store does not end its segment
        Assert.True(unchecked_.IsLeader[6]);                        // the store through r6 does
        Assert.True(unchecked_.MergedJump[11]);                     // back edge to slot 3
        Assert.Equal(2 + 3, unchecked_.Charge[10]);                 // mov + ja, then the head's 3..5
        Assert.False(unchecked_.MergedJump[12]);                    // 12 → 14, a segment that is a jump itself
        var checked_ = SegmentPlan.Build(program, _ => true, mergeJumps: true);
        Assert.True(checked_.IsLeader[4]);
        Assert.True(checked_.MergedJump[14]);                        // into the store-only segment at 16
        Assert.False(SegmentPlan.Build(program, _ => true).MergedJump[11]);
    }

    [Fact]
    public void Entry_in_the_middle_of_a_segment_is_charged_from_there()
    {
        // One straight segment 0..5 then exit; entering at 3 runs 3 ALU instructions and the exit.
        var program = P(Mov(0, 1), Add(0, 2), Add(0, 3), Add(0, 4), Add(0, 5), Exit());
        var prepared = JitRun.Engine.Prepare(program, Options());
        Assert.Equal(9UL, prepared.Run(new RunContext { EntrySlot = 3, InstructionBudget = 3 }, out var executed));
        Assert.Equal(3, executed);
        var fault = Assert.Throws<ProgramFaultException>(() => prepared.Run(new RunContext { EntrySlot = 3, InstructionBudget = 2 }));
        Assert.Equal((FaultKind.InstructionBudgetExhausted, 5), (fault.Kind, fault.InstructionIndex));
        for (var entry = 0; entry < program.Length; entry++)
        {
            for (var budget = 1; budget <= 7; budget++)
            {
                var (slot, limit) = (entry, budget);
                EngineParity.Both(program, Options(), new byte[8], _ => new RunContext { EntrySlot = slot, InstructionBudget = limit });
            }
        }
    }

    [Fact]
    public void Prepare_compiles_without_running_the_program()
    {
        var calls = 0;
        var helpers = new HelperRegistry().Register(1, "count", (_, _, _, _, _, _) => (ulong)Interlocked.Increment(ref calls));
        var prepared = JitRun.Engine.Prepare(P(CallHelper(1), Exit()), Options(helpers: helpers));
        Assert.Equal(0, calls);
        Assert.Equal(1UL, prepared.Run([]));
        Assert.Equal(2UL, prepared.Run([]));
    }

    [Fact]
    public void Entry_slots_that_are_no_instruction_are_refused()
    {
        var prepared = JitRun.Engine.Prepare(P(Lddw(0, 5), Exit()), Options());
        Assert.Throws<ArgumentOutOfRangeException>(() => prepared.Run(new RunContext { EntrySlot = 1 }));
        Assert.Equal(5UL, prepared.Run(new RunContext { EntrySlot = 0 }));
    }

    [Fact]
    public void Il_listing_is_kept_on_request_and_names_every_instruction()
    {
        var engine = new JitEngine(new JitEngineOptions { KeepIlListing = true });
        var prepared = (JitProgram)engine.Prepare(P(Mov(0, 1), I(Opcodes.JeqImm, 0, 0, 1, 1), Add(0, 1), Exit()));
        Assert.NotNull(prepared.IlListing);
        Assert.Contains("segment_0:", prepared.IlListing);
        Assert.Contains("insn_3:", prepared.IlListing);
        Assert.Contains("beq segment_3", prepared.IlListing);
        Assert.Equal(1UL, prepared.Run([]));
        Assert.Null(((JitProgram)JitRun.Engine.Prepare(P(Exit()))).IlListing);
        Assert.Equal("jit", engine.Name);
        Assert.True(JitEngine.IsSupported);
    }

    [Fact]
    public void One_compiled_program_runs_on_four_threads_with_independent_state()
    {
        var program = P(
            MovReg(6, 1), MovReg(7, 2), I(Opcodes.StDw, 10, 0, -8, 0),
            I(Opcodes.JeqImm, 7, 0, 7, 0),
            I(Opcodes.LdxB, 1, 6, 0), MovReg(2, 10), Add(2, -8), CallLocal(8),
            Add(6, 1), Add(7, -1), I(Opcodes.Ja, off: -8),
            I(Opcodes.LdxDw, 0, 10, -8), I(Opcodes.StxDw, 6, 0, -8),
            Exit(),
            Exit(), Exit(),
            I(Opcodes.AtomicDw, 2, 1, 0, (int)AtomicOperation.Add), Exit());
        var prepared = JitRun.Engine.Prepare(program, Options());
        var failures = 0;
        var threads = CheckedThread.StartAll(4, index =>
        {
            var t = index + 1;
            for (var i = 0; i < 300; i++)
            {
                var input = new byte[8 + (t * 8)];
                for (var j = 0; j < input.Length; j++) input[j] = (byte)(t * 10 + j + i);
                var expected = input.Aggregate(0UL, (sum, b) => sum + b);
                var result = prepared.Run(input);
                if (result != expected || BitConverter.ToUInt64(input, input.Length - 8) != expected)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        CheckedThread.JoinAll(threads);
        Assert.Equal(0, failures);
    }

    [Fact]
    public void A_run_allocates_no_more_than_an_interpreter_run()
    {
        var program = AluLoop.Build();
        var jit = JitRun.Engine.Prepare(program, Options(budget: AluLoop.ExecutedInstructions));
        var interpreter = SharpBpf.Interpreter.InterpreterEngine.Instance.Prepare(program, Options(budget: AluLoop.ExecutedInstructions));
        Assert.Equal(AluLoop.Result, jit.Run([]));
        Assert.Equal(AluLoop.Result, interpreter.Run([]));
        var before = GC.GetAllocatedBytesForCurrentThread();
        jit.Run([]);
        var jitBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        interpreter.Run([]);
        var interpreterBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(jitBytes <= interpreterBytes, $"jit run allocated {jitBytes} bytes, interpreter {interpreterBytes}");
    }
}

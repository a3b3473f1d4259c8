using SharpBpf.Asm;
using SharpBpf.Execution;
using SharpBpf.Tests.Jit;

namespace SharpBpf.Tests.Execution;

/// <summary>
/// may_goto at run time, as the kernel's fixup runs it: each function entry starts with BPF_MAX_LOOPS (8M) rounds; a
/// may_goto falls through while rounds remain, paying one, and jumps once they are spent.
/// </summary>
[Collection(nameof(EngineParityCollection))]
public class MayGotoBudgetTests
{
    private const ulong MaxLoops = 8 * 1024 * 1024;

    // r0 counts the rounds of a loop that only may_goto ends.
    private const string Forever = """
        mov %r0, 0
        may_goto +2
        add %r0, 1
        ja -3
        exit
        """;

    private static readonly EngineOptions Options = new() { Mode = ExecutionMode.Checked };

    [Fact]
    public void A_loop_only_may_goto_ends_runs_the_budget_then_jumps_in_both_engines()
    {
        var outcome = EngineParity.Both(Assembler.Assemble(Forever), Options, new byte[8]);
        Assert.Equal(MaxLoops, outcome.R0);
    }

    [Fact]
    public void A_bounded_loop_runs_its_own_iterations()
    {
        const string bounded = """
            mov %r0, 0
            may_goto +2
            add %r0, 1
            jlt %r0, 10, -3
            exit
            """;
        Assert.Equal(10ul, EngineParity.Both(Assembler.Assemble(bounded), Options, new byte[8]).R0);
    }

    [Fact]
    public void Every_call_of_a_function_and_every_run_starts_a_fresh_budget()
    {
        // main calls the counting loop twice; each call has its own 8M rounds.
        var program = Assembler.Assemble("""
            call local +4
            mov %r6, %r0
            call local +2
            add %r0, %r6
            exit
            """ + "\n" + Forever);
        Assert.Equal(2 * MaxLoops, EngineParity.Both(program, Options, new byte[8]).R0);

        foreach (var engine in new IExecutionEngine[] { EngineParity.Interpreter, EngineParity.Jit, EngineParity.SplitJit })
        {
            var prepared = engine.Prepare(Assembler.Assemble(Forever), Options);
            Assert.Equal(MaxLoops, prepared.Run(new RunContext()));
            Assert.Equal(MaxLoops, prepared.Run(new RunContext()));
        }
    }
}

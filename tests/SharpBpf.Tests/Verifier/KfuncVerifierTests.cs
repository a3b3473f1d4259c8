using SharpBpf.Asm;
using SharpBpf.Execution;
using SharpBpf.Interpreter;
using SharpBpf.Jit;
using SharpBpf.Verifier;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// Kfunc calls in hand-written code (ids from KfuncTable: 1 iter_num_new, 2 next, 3 destroy). The rules measured on
/// Linux are Data/verifier/kfunc_*; these pin what only hand-written code can reach, and the loop at run time.
/// </summary>
public class KfuncVerifierTests
{
    /// <summary>Sums 0..99 with the number iterator at fp-8: for (i in [0, 100)) r6 += i.</summary>
    private const string SumLoop = """
        mov %r1, %r10
        add %r1, -8
        mov %r2, 0
        mov %r3, 100
        call kfunc 1
        mov %r6, 0
        mov %r1, %r10
        add %r1, -8
        call kfunc 2
        jeq %r0, 0, +3
        ldxw %r2, [%r0+0]
        add %r6, %r2
        ja -7
        mov %r1, %r10
        add %r1, -8
        call kfunc 3
        mov %r0, %r6
        exit
        """;

    private static (string? Error, int? Instruction) Verdict(string source)
    {
        var result = VerifierHarness.Verify(source);
        return (result.Error, result.InstructionIndex);
    }

    [Fact]
    public void An_iterator_loop_converges_without_a_bound_the_verifier_counts()
    {
        var result = VerifierHarness.Verify(SumLoop);
        Assert.True(result.Accepted, result.Error);
        // Converged: far fewer instructions than 100 iterations would walk.
        Assert.True(result.ProcessedInstructions < 200, $"processed {result.ProcessedInstructions}");
    }

    [Fact]
    public void Both_engines_run_the_loop()
    {
        var program = Assembler.Assemble(SumLoop);
        foreach (var engine in new IExecutionEngine[] { InterpreterEngine.Instance, new JitEngine() })
        {
            var prepared = engine.Prepare(program, new EngineOptions { Mode = ExecutionMode.Checked });
            Assert.Equal(4950ul, prepared.Run(new RunContext()));
        }
    }

    [Fact]
    public void An_iterator_left_alive_leaks_its_reference()
    {
        var leaking = SumLoop.Replace("call kfunc 3\n", "mov %r1, 0\n", StringComparison.Ordinal);
        Assert.Equal(("BPF_EXIT instruction in main prog would lead to reference leak", (int?)17), Verdict(leaking));
    }

    [Fact]
    public void A_kfunc_id_SharpBpf_lacks_is_refused()
    {
        Assert.Equal(("kernel btf_id 1234 is not a function", (int?)0), Verdict("call kfunc 1234\nmov %r0, 0\nexit"));
    }

    [Fact]
    public void An_unresolved_weak_kfunc_that_is_reached_is_refused()
    {
        Assert.Equal(("invalid kernel function call not eliminated in verifier pass", (int?)0), Verdict("call kfunc 0\nmov %r0, 0\nexit"));
    }

    [Fact]
    public void The_value_next_returns_is_four_read_only_bytes()
    {
        var pastEnd = SumLoop.Replace("ldxw %r2, [%r0+0]", "ldxw %r2, [%r0+4]", StringComparison.Ordinal);
        // The kernel's reason line after "invalid access to memory, mem_size=4 off=4 size=4" (check_mem_region_access).
        Assert.Equal(("R0 min value is outside of the allowed memory range", (int?)10), Verdict(pastEnd));
    }
}

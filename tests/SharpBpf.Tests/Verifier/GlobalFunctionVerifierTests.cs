using System.Collections.Frozen;
using SharpBpf.Verifier;
using static SharpBpf.Tests.Verifier.VerifierHarness;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// Global functions as Linux 6.18 verifies them: once, on their own, from their BTF prototype; a call checks the
/// arguments and gives back an unknown scalar. The kernel's own verdicts on C programs are in Data/generated
/// (global_fn_*, static_fn_*); these pin down what the C compiler makes hard to show.
/// </summary>
public class GlobalFunctionVerifierTests
{
    private static readonly GlobalFunctionPrototype ReturnsItsContext = new([new GlobalArgument(GlobalArgumentKind.Context)]);

    private static VerificationResult VerifyWithGlobal(string main, string function, GlobalFunctionPrototype prototype, VerifierOptions? options = null) =>
        Verify(main, [function], [PlainMap], staticFunctions: false, options: options,
            adjust: input => input with { GlobalFunctions = new Dictionary<int, GlobalFunctionPrototype> { [input.Functions[1].StartSlot] = prototype }.ToFrozenDictionary() });

    private const string CallerLoadsThroughResult = "call local +1\nldxw %r0, [%r0+0]\nexit";

    // The callee returns what it was given, its context; a static callee's R0 flows back, a global one's does not.
    private const string Identity = "mov %r0, %r1\nmov %r0, 0\nexit";

    [Fact]
    public void What_a_static_function_returns_flows_back_to_its_caller()
    {
        var result = Verify(CallerLoadsThroughResult, ["mov %r0, %r1\nexit"], [PlainMap]);
        Assert.True(result.Accepted, result.Error);
    }

    [Fact]
    public void A_global_function_returns_an_unknown_scalar_whatever_its_body()
    {
        var result = VerifyWithGlobal(CallerLoadsThroughResult, Identity, ReturnsItsContext);
        Assert.Equal(("R0 invalid mem access 'scalar'", (int?)1), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void A_global_function_must_return_a_scalar()
    {
        var result = VerifyWithGlobal("call local +1\nmov %r0, 0\nexit", "mov %r0, %r1\nexit", ReturnsItsContext);
        Assert.Equal(("At subprogram exit the register R0 is not a scalar value (ctx)", (int?)4), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void A_global_function_is_verified_once_however_often_it_is_called()
    {
        const string twice = "mov %r6, %r1\ncall local +1\nmov %r1, %r6\ncall local +1\nmov %r0, 0\nexit";
        var result = VerifyWithGlobal(twice, "mov %r0, 1\nexit", ReturnsItsContext, new VerifierOptions { LogLevel = 2 });
        Assert.True(result.Accepted, result.Error);
        // Six caller instructions, then the callee's two, once.
        Assert.Equal(8, result.ProcessedInstructions);
        Assert.Contains("Validating f1() func#1...", result.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void A_call_passing_a_number_where_the_context_belongs_names_the_argument()
    {
        var result = VerifyWithGlobal("mov %r1, 0\ncall local +1\nexit", Identity, ReturnsItsContext, new VerifierOptions { LogLevel = 1 });
        Assert.Equal(("Caller passes invalid args into func#1 ('f1')", (int?)1), (result.Error, result.InstructionIndex));
        Assert.Contains("arg#0 expects pointer to ctx\nCaller passes invalid args", result.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void A_memory_argument_is_NULL_until_the_callee_checks_it()
    {
        var prototype = new GlobalFunctionPrototype([new GlobalArgument(GlobalArgumentKind.MemoryOrNull, 16)]);
        const string main = "stdw [%r10-16], 0\nstdw [%r10-8], 0\nmov %r1, %r10\nadd %r1, -16\ncall local +1\nexit";
        var unchecked_ = VerifyWithGlobal(main, "ldxw %r0, [%r1+8]\nexit", prototype);
        Assert.Equal(("R1 invalid mem access 'mem_or_null'", (int?)6), (unchecked_.Error, unchecked_.InstructionIndex));

        var checked_ = VerifyWithGlobal(main, "mov %r0, 0\njeq %r1, 0, +1\nldxw %r0, [%r1+12]\nexit", prototype);
        Assert.True(checked_.Accepted, checked_.Error);

        var past = VerifyWithGlobal(main, "mov %r0, 0\njeq %r1, 0, +1\nldxw %r0, [%r1+16]\nexit", prototype);
        Assert.Equal(("R1 min value is outside of the allowed memory range", (int?)8), (past.Error, past.InstructionIndex));
    }

    [Fact]
    public void Stack_a_global_function_may_write_is_forgotten_by_the_caller()
    {
        var prototype = new GlobalFunctionPrototype([new GlobalArgument(GlobalArgumentKind.MemoryOrNull, 8)]);
        // The caller spilled its context at fp-8 and hands that slot to the callee, which may overwrite it.
        const string main = "stxdw [%r10-8], %r1\nmov %r1, %r10\nadd %r1, -8\ncall local +1\nldxdw %r1, [%r10-8]\nldxw %r0, [%r1+0]\nexit";
        var result = VerifyWithGlobal(main, "mov %r0, 0\nexit", prototype);
        Assert.Equal(("R1 invalid mem access 'scalar'", (int?)5), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void A_static_function_may_not_return_a_stack_pointer()
    {
        var result = Verify("call local +1\nmov %r0, 0\nexit", ["mov %r0, %r10\nexit"], [PlainMap]);
        Assert.Equal(("cannot return stack pointer to the caller", (int?)4), (result.Error, result.InstructionIndex));
    }
}

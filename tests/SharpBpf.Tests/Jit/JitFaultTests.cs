using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Isa;
using SharpBpf.Tests.Interpreter;
using static SharpBpf.Tests.Interpreter.Insn;
using static SharpBpf.Tests.Jit.JitRun;

namespace SharpBpf.Tests.Jit;

/// <summary>The fault suite (Interpreter/FaultTests) on the JIT.</summary>
public sealed class JitFaultSuiteTests : FaultTests
{
    private protected override IExecutionEngine Engine => JitRun.Engine;
}

/// <summary>The interpreter's call-fault cases (Interpreter/CallTests) on the JIT, with the same expected values.</summary>
public class JitFaultTests
{
    [Theory]
    [InlineData(6, false)]
    [InlineData(7, true)]
    public void Call_depth_is_limited_to_eight_frames(int nesting, bool faults)
    {
        var program = P(
            Mov(1, nesting), CallLocal(1), Exit(),
            I(Opcodes.JeqImm, 1, 0, 2, 0), Add(1, -1), CallLocal(-3),
            Mov(0, 42), Exit());
        if (!faults)
        {
            Assert.Equal(42UL, JitRun.RunBoth(program));
            return;
        }

        var fault = JitRun.Fault(program);
        Assert.Equal((FaultKind.CallDepthExceeded, 5), (fault.Kind, fault.InstructionIndex));
        Assert.Equal("insn 5: call depth exceeds 8 frames", fault.Message);
    }

    [Fact]
    public void Callx_with_an_unknown_value_faults()
    {
        var fault = JitRun.Fault(P(Lddw(2, 0x1234_5678_9aUL), I(Opcodes.Callx, 2), Exit()));
        Assert.Equal((FaultKind.UnknownHelper, 2, 0x1234_5678_9aUL), (fault.Kind, fault.InstructionIndex, fault.Address));

        var bad = FunctionPointer.Encode(99);
        fault = JitRun.Fault(P(Lddw(2, bad), I(Opcodes.Callx, 2), Exit()));
        Assert.Equal((FaultKind.InvalidCallTarget, 2, bad), (fault.Kind, fault.InstructionIndex, fault.Address));
    }

    [Fact]
    public void Unknown_helper_faults_at_the_call_when_it_executes()
    {
        var fault = JitRun.Fault(P(Mov(0, 0), CallHelper(99), Exit()));
        Assert.Equal((FaultKind.UnknownHelper, 1, 99UL), (fault.Kind, fault.InstructionIndex, fault.Address));
        Assert.Equal("insn 1: unknown helper 99", fault.Message);
        Assert.Equal(5UL, JitRun.Run(P(Mov(0, 5), I(Opcodes.Ja, off: 1), CallHelper(99), Exit())));
    }

    [Fact]
    public void Helper_pointer_argument_outside_the_regions_faults_at_the_call()
    {
        var helpers = new HelperRegistry().Register(10, "read", (ctx, r1, r2, _, _, _) =>
            (ulong)ctx.GetMemory(r1, r2, MemoryAccess.Read).Length);
        var program = P(MovReg(1, 10), Add(1, -8), Mov(2, 9), CallHelper(10), Exit());
        var memory = new byte[8];
        var fault = JitRun.Fault(P(I(Opcodes.StxDw, 1, 10, 0), MovReg(6, 1), program), memory, helpers);
        var r10 = BitConverter.ToUInt64(memory);
        Assert.Equal((FaultKind.OutOfBoundsRead, 5, r10 - 8, 9), (fault.Kind, fault.InstructionIndex, fault.Address, fault.Size));
    }

    private static HelperRegistry LoopHelper() => new HelperRegistry().Register(181, "loop", (ctx, nr, callback, data, _, _) =>
    {
        ulong i = 0;
        while (i < nr)
        {
            var stop = ctx.InvokeSubprogram(callback, i, data);
            i++;
            if (stop != 0) break;
        }

        return i;
    });

    internal static Instruction[] LoopProgram(int iterations, int stopAt) => P(
        I(Opcodes.StDw, 10, 0, -8, 0),
        Mov(1, iterations),
        I(Opcodes.Lddw, 2, (int)LoadImm64Source.Function, imm: 9), I(0),
        MovReg(3, 10), Add(3, -8), Mov(4, 0),
        CallHelper(181),
        I(Opcodes.LdxDw, 1, 10, -8), I(Opcodes.Mul64Imm, 0, imm: 1000), AddReg(0, 1),
        Exit(),
        I(Opcodes.LdxDw, 3, 2, 0), AddReg(3, 1), I(Opcodes.StxDw, 2, 3, 0),
        Mov(0, 0), I(Opcodes.JneImm, 1, 0, 1, stopAt), Mov(0, 1), Exit());

    [Fact]
    public void Helper_callbacks_run_and_share_the_run_budget()
    {
        Assert.Equal(10_000UL + 45UL, JitRun.RunBoth(LoopProgram(10, -1), helpers: LoopHelper()));
        Assert.Equal(4_000UL + 6UL, JitRun.RunBoth(LoopProgram(10, 3), helpers: LoopHelper()));
        Assert.Equal(10_045UL, JitRun.Run(LoopProgram(10, -1), helpers: LoopHelper(), budget: 71));
        var fault = JitRun.Fault(LoopProgram(10, -1), helpers: LoopHelper(), budget: 70);
        Assert.Equal((FaultKind.InstructionBudgetExhausted, 11), (fault.Kind, fault.InstructionIndex));
    }

    [Fact]
    public void Callback_with_a_value_that_is_no_function_faults_at_the_helper_call()
    {
        var helpers = new HelperRegistry().Register(1, "bad", (ctx, r1, _, _, _, _) => ctx.InvokeSubprogram(r1));
        var fault = JitRun.Fault(P(Mov(1, 4), CallHelper(1), Exit()), helpers: helpers);
        Assert.Equal((FaultKind.InvalidCallTarget, 1, 4UL), (fault.Kind, fault.InstructionIndex, fault.Address));
    }

    [Fact]
    public void Helper_fault_carries_the_reason_and_the_call_index()
    {
        var helpers = new HelperRegistry().Register(3, "boom", (ctx, _, _, _, _, _) =>
        {
            ctx.Fault("boom");
            return 0;
        });
        var fault = JitRun.Fault(P(Mov(0, 0), Mov(0, 0), CallHelper(3), Exit()), helpers: helpers);
        Assert.Equal((FaultKind.HelperFault, 2, "boom"), (fault.Kind, fault.InstructionIndex, fault.Detail));
        Assert.Equal("insn 2: helper fault: boom", fault.Message);
    }

    [Fact]
    public void Run_context_sets_entry_slot_arguments_and_host_state()
    {
        var helpers = new HelperRegistry().Register(1, "state", (ctx, _, _, _, _, _) => (ulong)(int)ctx.HostState!);
        var prepared = Engine.Prepare(P(Mov(0, 1), Exit(), CallHelper(1), AddReg(0, 1), AddReg(0, 5), Exit()), Options(helpers: helpers));
        var context = new RunContext { EntrySlot = 2, HostState = 100 }.WithArguments(r1: 20, r5: 3);
        Assert.Equal(123UL, prepared.Run(context));
        Assert.Throws<ArgumentOutOfRangeException>(() => prepared.Run(new RunContext { EntrySlot = 6 }));
    }
}

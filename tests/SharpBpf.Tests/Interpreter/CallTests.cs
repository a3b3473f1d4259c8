using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Isa;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Interpreter;

public class CallTests
{
    [Fact]
    public void Local_call_passes_r1_to_r5_and_preserves_r6_to_r9()
    {
        var program = P(
            Mov(6, 6), Mov(7, 7), Mov(8, 8), Mov(9, 9), Mov(1, 100), Mov(2, 20),
            CallLocal(5),                                       // slot 6 → 12
            AddReg(0, 6), AddReg(0, 7), AddReg(0, 8), AddReg(0, 9), Exit(),
            Mov(6, 0), Mov(7, 0), Mov(8, 0), Mov(9, 0),         // slot 12: the callee clobbers r6–r9
            MovReg(0, 1), AddReg(0, 2), Exit());
        Assert.Equal(150UL, RunBoth(program));
    }

    [Fact]
    public void Each_frame_has_its_own_stack_and_a_callee_may_write_into_its_caller_frame()
    {
        var program = P(
            I(Opcodes.StDw, 10, 0, -8, 11),
            MovReg(1, 10), Add(1, -16),                         // r1 = pointer into the caller's frame
            CallLocal(10),                                      // slot 3 → 14
            I(Opcodes.LdxDw, 2, 10, -8),                        // still 11: the callee's -8 is its own
            I(Opcodes.LdxDw, 3, 10, -16),                       // 33, written by the callee through r1
            MovReg(5, 10), I(Opcodes.Sub64Reg, 5, 0),           // caller r10 - callee r10
            MovReg(0, 2), I(Opcodes.Mul64Imm, 0, imm: 1_000_000),
            I(Opcodes.Mul64Imm, 3, imm: 1000), AddReg(0, 3), AddReg(0, 5),
            Exit(),
            I(Opcodes.StDw, 10, 0, -8, 22),                     // slot 14
            I(Opcodes.StDw, 1, 0, 0, 33),
            MovReg(0, 10), Exit());
        Assert.Equal(11_000_000UL + 33_000UL + 512UL, RunBoth(program));
    }

    [Theory]
    [InlineData(6, false)] // main + 7 frames = 8 = MAX_CALL_FRAMES
    [InlineData(7, true)]
    public void Call_depth_is_limited_to_eight_frames(int nesting, bool faults)
    {
        var program = P(
            Mov(1, nesting), CallLocal(1), Exit(),
            I(Opcodes.JeqImm, 1, 0, 2, 0), Add(1, -1), CallLocal(-3), // slot 5 recurses to 3
            Mov(0, 42), Exit());
        if (!faults)
        {
            Assert.Equal(42UL, RunBoth(program));
            return;
        }

        var fault = Fault(program);
        Assert.Equal(FaultKind.CallDepthExceeded, fault.Kind);
        Assert.Equal(5, fault.InstructionIndex);
        Assert.Equal("insn 5: call depth exceeds 8 frames", fault.Message);
    }

    [Fact]
    public void Callx_calls_a_subprogram_through_a_function_pointer()
    {
        var program = P(
            I(Opcodes.Lddw, 3, (int)LoadImm64Source.Function, imm: 4), I(0), // slot 0 → slot 5
            Mov(1, 40), I(Opcodes.Callx, 3), Exit(),
            MovReg(0, 1), Add(0, 2), Exit());
        Assert.Equal(42UL, RunBoth(program));
    }

    [Fact]
    public void Callx_calls_a_helper_by_the_id_in_its_register()
    {
        var helpers = new HelperRegistry().Register(5, "unwind", (_, r1, _, _, _, _) => r1 + 1);
        Assert.Equal(8UL, RunBoth(P(Mov(2, 5), Mov(1, 7), I(Opcodes.Callx, 2), Exit()), helpers: helpers));
    }

    [Fact]
    public void Callx_with_an_unknown_value_faults()
    {
        var fault = Fault(P(Lddw(2, 0x1234_5678_9aUL), I(Opcodes.Callx, 2), Exit()));
        Assert.Equal((FaultKind.UnknownHelper, 2, 0x1234_5678_9aUL), (fault.Kind, fault.InstructionIndex, fault.Address));

        var bad = FunctionPointer.Encode(99);
        fault = Fault(P(Lddw(2, bad), I(Opcodes.Callx, 2), Exit()));
        Assert.Equal((FaultKind.InvalidCallTarget, 2, bad), (fault.Kind, fault.InstructionIndex, fault.Address));
    }

    [Fact]
    public void Helpers_receive_r1_to_r5_and_return_r0_and_registers_survive()
    {
        var helpers = new HelperRegistry().Register(1, "gather", (ctx, r1, r2, r3, r4, r5) =>
            (r1 << 32) | (r2 << 24) | (r3 << 16) | (r4 << 8) | r5 | ((ulong)ctx.InstructionIndex << 40));
        var program = P(Mov(1, 1), Mov(2, 2), Mov(3, 3), Mov(4, 4), Mov(5, 5), CallHelper(1),
            AddReg(0, 1), Exit());
        Assert.Equal((5UL << 40) + 0x01_0203_0405UL + 1, RunBoth(program, helpers: helpers));
    }

    [Fact]
    public void Unknown_helper_faults_at_the_call()
    {
        var fault = Fault(P(Mov(0, 0), CallHelper(99), Exit()));
        Assert.Equal((FaultKind.UnknownHelper, 1, 99UL), (fault.Kind, fault.InstructionIndex, fault.Address));
        Assert.Equal("insn 1: unknown helper 99", fault.Message);
    }

    [Fact]
    public void Registering_after_prepare_does_not_change_a_prepared_program()
    {
        var helpers = new HelperRegistry();
        var prepared = SharpBpf.Interpreter.InterpreterEngine.Instance.Prepare(P(CallHelper(7), Exit()), Options(helpers: helpers));
        helpers.Register(7, "late", (_, _, _, _, _, _) => 1);
        Assert.Equal(FaultKind.UnknownHelper, Assert.Throws<ProgramFaultException>(() => prepared.Run([])).Kind);
    }

    [Fact]
    public void Helper_reads_and_writes_program_memory_through_the_context()
    {
        var helpers = new HelperRegistry().Register(10, "sum_and_fill", (ctx, r1, r2, _, _, _) =>
        {
            var span = ctx.GetMemory(r1, r2, MemoryAccess.ReadWrite);
            ulong sum = 0;
            foreach (var b in span) sum += b;
            span.Fill(0xaa);
            return sum;
        });
        var program = P(
            I(Opcodes.StDw, 10, 0, -8, 0x0403_0201),
            MovReg(1, 10), Add(1, -8), Mov(2, 8), CallHelper(10),
            I(Opcodes.LdxB, 1, 10, -1), I(Opcodes.Lsh64Imm, 0, imm: 8), AddReg(0, 1), Exit());
        Assert.Equal((10UL << 8) + 0xaa, RunBoth(program, helpers: helpers));
    }

    [Fact]
    public void Helper_pointer_argument_outside_the_regions_faults_at_the_call()
    {
        var helpers = new HelperRegistry().Register(10, "read", (ctx, r1, r2, _, _, _) =>
            (ulong)ctx.GetMemory(r1, r2, MemoryAccess.Read).Length);
        var program = P(MovReg(1, 10), Add(1, -8), Mov(2, 9), CallHelper(10), Exit()); // 9 bytes from r10-8
        var memory = new byte[8];
        var fault = Fault(P(I(Opcodes.StxDw, 1, 10, 0), MovReg(6, 1), program), memory, helpers);
        var r10 = BitConverter.ToUInt64(memory);
        Assert.Equal((FaultKind.OutOfBoundsRead, 5, r10 - 8, 9), (fault.Kind, fault.InstructionIndex, fault.Address, fault.Size));
    }

    [Fact]
    public unsafe void Helper_registered_region_becomes_accessible_for_the_rest_of_the_run()
    {
        var value = (ulong*)System.Runtime.InteropServices.NativeMemory.Alloc(16);
        try
        {
            value[0] = 0x5151;
            var helpers = new HelperRegistry()
                .Register(1, "lookup", (ctx, _, _, _, _, _) =>
                {
                    ctx.AddRegion((nint)value, 16, MemoryAccess.ReadWrite);
                    return (ulong)value;
                })
                .Register(2, "peek", (_, _, _, _, _, _) => (ulong)value);
            Assert.Equal(0x5152UL, RunBoth(P(CallHelper(1), I(Opcodes.LdxDw, 1, 0, 0), Add(1, 1), I(Opcodes.StxDw, 0, 1, 8),
                I(Opcodes.LdxDw, 0, 0, 8), Exit()), helpers: helpers));
            Assert.Equal(0x5152UL, value[1]);

            var fault = Fault(P(CallHelper(2), I(Opcodes.LdxDw, 1, 0, 0), Exit()), helpers: helpers);
            Assert.Equal((FaultKind.OutOfBoundsRead, 1, (ulong)value, 8), (fault.Kind, fault.InstructionIndex, fault.Address, fault.Size));
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(value);
        }
    }

    /// <summary>bpf_loop(nr, callback, ctx, flags): calls callback(i, ctx) until it returns non-zero; returns the count.</summary>
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

    private static Instruction[] LoopProgram(int iterations, int stopAt) => P(
        I(Opcodes.StDw, 10, 0, -8, 0),
        Mov(1, iterations),
        I(Opcodes.Lddw, 2, (int)LoadImm64Source.Function, imm: 9), I(0), // slot 2 → 12
        MovReg(3, 10), Add(3, -8), Mov(4, 0),
        CallHelper(181),                                                  // slot 7
        I(Opcodes.LdxDw, 1, 10, -8), I(Opcodes.Mul64Imm, 0, imm: 1000), AddReg(0, 1), // r0 = loops*1000 + sum
        Exit(),
        // slot 12: callback(index = r1, ctx = r2): *ctx += index; return index == stopAt
        I(Opcodes.LdxDw, 3, 2, 0), AddReg(3, 1), I(Opcodes.StxDw, 2, 3, 0),
        Mov(0, 0), I(Opcodes.JneImm, 1, 0, 1, stopAt), Mov(0, 1), Exit());

    [Fact]
    public void Helper_invokes_a_subprogram_callback_like_bpf_loop()
    {
        Assert.Equal(10_000UL + 45UL, RunBoth(LoopProgram(10, -1), helpers: LoopHelper()));
        Assert.Equal(4_000UL + 6UL, RunBoth(LoopProgram(10, 3), helpers: LoopHelper()));
    }

    [Fact]
    public void Callbacks_share_the_run_budget()
    {
        // 7 main instructions up to the helper call, 10 callbacks of 6, then 4 more.
        Assert.Equal(10_045UL, Run(LoopProgram(10, -1), helpers: LoopHelper(), budget: 71));
        var fault = Fault(LoopProgram(10, -1), helpers: LoopHelper(), budget: 70);
        Assert.Equal((FaultKind.InstructionBudgetExhausted, 11), (fault.Kind, fault.InstructionIndex));
    }

    [Fact]
    public void Callback_with_a_value_that_is_no_function_faults_at_the_helper_call()
    {
        var helpers = new HelperRegistry().Register(1, "bad", (ctx, r1, _, _, _, _) => ctx.InvokeSubprogram(r1));
        var fault = Fault(P(Mov(1, 4), CallHelper(1), Exit()), helpers: helpers);
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
        var fault = Fault(P(Mov(0, 0), Mov(0, 0), CallHelper(3), Exit()), helpers: helpers);
        Assert.Equal((FaultKind.HelperFault, 2, "boom"), (fault.Kind, fault.InstructionIndex, fault.Detail));
        Assert.Equal("insn 2: helper fault: boom", fault.Message);
    }

    [Fact]
    public void Run_context_sets_entry_slot_arguments_and_host_state()
    {
        var helpers = new HelperRegistry().Register(1, "state", (ctx, _, _, _, _, _) => (ulong)(int)ctx.HostState!);
        var prepared = SharpBpf.Interpreter.InterpreterEngine.Instance.Prepare(
            P(Mov(0, 1), Exit(), CallHelper(1), AddReg(0, 1), AddReg(0, 5), Exit()), Options(helpers: helpers));
        var context = new RunContext { EntrySlot = 2, HostState = 100 }.WithArguments(r1: 20, r5: 3);
        Assert.Equal(123UL, prepared.Run(context));
        Assert.Throws<ArgumentOutOfRangeException>(() => prepared.Run(new RunContext { EntrySlot = 6 }));
    }

    [Fact]
    public void Helper_context_kept_past_the_run_refuses_use()
    {
        HelperCallContext? kept = null;
        var helpers = new HelperRegistry().Register(1, "keep", (ctx, _, _, _, _, _) =>
        {
            kept = ctx;
            return 0;
        });
        Run(P(CallHelper(1), Exit()), helpers: helpers);
        Assert.NotNull(kept);
        Assert.Throws<InvalidOperationException>(() => kept.InvokeSubprogramAt(0));
        Assert.Throws<InvalidOperationException>(() => kept.GetMemory(0, 1, MemoryAccess.Read));
    }
}

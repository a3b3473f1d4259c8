using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Isa;
using SharpBpf.Tests.Interpreter;
using static SharpBpf.Tests.Interpreter.Insn;
using static SharpBpf.Tests.Jit.JitRun;

namespace SharpBpf.Tests.Jit;

/// <summary>The interpreter's fault cases (Interpreter/FaultTests, CallTests) on the JIT, with the same expected values.</summary>
public class JitFaultTests
{
    /// <summary>Slot 0 records r1 (the buffer) at [r1], slot 1 records r10 at [r1+8]; then the body runs, then exit.</summary>
    private static (ProgramFaultException Fault, ulong Buffer, ulong R10) FaultWithAddresses(params object[] body)
    {
        var memory = new byte[16];
        var fault = JitRun.Fault(P(I(Opcodes.StxDw, 1, 1, 0), I(Opcodes.StxDw, 1, 10, 8), P(body), Exit()), memory);
        return (fault, BitConverter.ToUInt64(memory, 0), BitConverter.ToUInt64(memory, 8));
    }

    private static void AssertFault(ProgramFaultException fault, FaultKind kind, int index, ulong address, int size) =>
        Assert.Equal((kind, index, address, size), (fault.Kind, fault.InstructionIndex, fault.Address, fault.Size));

    [Fact]
    public void Read_past_the_input_buffer()
    {
        var (fault, buffer, _) = FaultWithAddresses(I(Opcodes.LdxW, 0, 1, 14));
        AssertFault(fault, FaultKind.OutOfBoundsRead, 2, buffer + 14, 4);
        Assert.Equal($"insn 2: out-of-bounds read of 4 bytes at 0x{buffer + 14:x}", fault.Message);
    }

    [Fact]
    public void Write_before_the_input_buffer()
    {
        var (fault, buffer, _) = FaultWithAddresses(I(Opcodes.StxH, 1, 0, -1));
        AssertFault(fault, FaultKind.OutOfBoundsWrite, 2, buffer - 1, 2);
    }

    [Fact]
    public void Atomic_past_the_input_buffer()
    {
        var (fault, buffer, _) = FaultWithAddresses(I(Opcodes.AtomicDw, 1, 0, 16, (int)AtomicOperation.FetchAdd));
        AssertFault(fault, FaultKind.OutOfBoundsWrite, 2, buffer + 16, 8);
    }

    [Fact]
    public void Null_pointer_dereference()
    {
        var fault = JitRun.Fault(P(Mov(1, 0), I(Opcodes.LdxDw, 0, 1, 0), Exit()));
        AssertFault(fault, FaultKind.OutOfBoundsRead, 1, 0, 8);
        Assert.Equal("insn 1: out-of-bounds read of 8 bytes at 0x0", fault.Message);
    }

    [Fact]
    public void Wild_and_wrapping_addresses()
    {
        var fault = JitRun.Fault(P(Lddw(1, 0xffff_ffff_ffff_fff0UL), I(Opcodes.StDw, 1, 0, 0x7fff, 1), Exit()));
        AssertFault(fault, FaultKind.OutOfBoundsWrite, 2, 0x7fefUL, 8);
        fault = JitRun.Fault(P(Lddw(1, 0xffff_ffff_ffff_fffcUL), I(Opcodes.LdxDw, 0, 1, 0), Exit()));
        AssertFault(fault, FaultKind.OutOfBoundsRead, 2, 0xffff_ffff_ffff_fffcUL, 8);
    }

    [Fact]
    public void Stack_underflow_above_r10()
    {
        var (fault, _, r10) = FaultWithAddresses(I(Opcodes.StxDw, 10, 1, -4));
        AssertFault(fault, FaultKind.OutOfBoundsWrite, 2, r10 - 4, 8);
    }

    [Fact]
    public void Stack_overflow_below_the_frame()
    {
        var (fault, _, r10) = FaultWithAddresses(I(Opcodes.LdxB, 0, 10, -513));
        AssertFault(fault, FaultKind.OutOfBoundsRead, 2, r10 - 513, 1);
    }

    [Fact]
    public void R10_arithmetic_does_not_escape_the_stack()
    {
        var (fault, _, r10) = FaultWithAddresses(Add(10, -4096), I(Opcodes.StB, 10, 0, 0, 1));
        AssertFault(fault, FaultKind.OutOfBoundsWrite, 3, r10 - 4096, 1);
    }

    [Fact]
    public void Pointer_into_a_returned_frame_is_dangling()
    {
        var (fault, _, r10) = FaultWithAddresses(
            CallLocal(2), I(Opcodes.LdxDw, 0, 0, 0), Exit(),
            MovReg(0, 10), Add(0, -8), Exit());
        AssertFault(fault, FaultKind.OutOfBoundsRead, 3, r10 - 512 - 8, 8);
    }

    [Fact]
    public void Misaligned_atomic_faults_but_misaligned_load_does_not()
    {
        var (fault, _, r10) = FaultWithAddresses(I(Opcodes.AtomicW, 10, 0, -6, (int)AtomicOperation.Add));
        AssertFault(fault, FaultKind.MisalignedAtomic, 2, r10 - 6, 4);
        Assert.Equal(0UL, JitRun.Run(P(I(Opcodes.LdxDw, 0, 10, -13), Exit())));
    }

    [Fact]
    public void Instruction_budget_stops_an_endless_loop_at_the_exact_instruction()
    {
        var loop = P(Mov(0, 0), Add(0, 1), I(Opcodes.Ja, off: -2));
        var fault = JitRun.Fault(loop, budget: 10);
        Assert.Equal((FaultKind.InstructionBudgetExhausted, 2), (fault.Kind, fault.InstructionIndex));
        Assert.Equal("insn 2: instruction budget exhausted", fault.Message);
        Assert.Equal(1, JitRun.Fault(loop, budget: 11).InstructionIndex);
    }

    [Fact]
    public void Budget_counts_every_executed_instruction()
    {
        var program = AluLoop.Build();
        Assert.Equal(AluLoop.Result, JitRun.Run(program, budget: AluLoop.ExecutedInstructions));
        Engine.Prepare(program).Run(new RunContext(), out var executed);
        Assert.Equal(AluLoop.ExecutedInstructions, executed);
        var fault = JitRun.Fault(program, budget: AluLoop.ExecutedInstructions - 1);
        Assert.Equal((FaultKind.InstructionBudgetExhausted, 12), (fault.Kind, fault.InstructionIndex));
    }

    [Fact]
    public unsafe void Read_only_region_refuses_writes()
    {
        var data = stackalloc byte[8];
        data[3] = 9;
        var prepared = Engine.Prepare(P(I(Opcodes.LdxB, 0, 1, 3), I(Opcodes.StB, 1, 0, 0, 1), Exit()), Options());
        var context = new RunContext().AddRegion((nint)data, 8, MemoryAccess.Read).WithArguments(r1: (ulong)data);
        var fault = Assert.Throws<ProgramFaultException>(() => prepared.Run(context));
        AssertFault(fault, FaultKind.ReadOnlyWrite, 1, (ulong)data, 1);
        Assert.Equal(0, data[0]);
    }

    [Fact]
    public unsafe void Legacy_packet_loads_read_big_endian_from_the_packet_region()
    {
        var packet = stackalloc byte[] { 0x12, 0x34, 0x56, 0x78, 0x9a };
        var region = new MemoryRegion((ulong)packet, 5, MemoryAccess.Read, RegionKind.Packet);
        var program = Engine.Prepare(P(
            I(Opcodes.LdAbsH, imm: 1), MovReg(6, 0),
            Mov(7, 1), I(Opcodes.LdIndW, 0, 7, 0, 0), I(Opcodes.Lsh64Imm, 6, imm: 32), AddReg(0, 6), Exit()), Options());
        Assert.Equal(0x3456_0000_0000UL + 0x3456_789aUL, program.Run(new RunContext { Packet = region }));

        var outOfPacket = Engine.Prepare(P(Mov(0, 7), I(Opcodes.LdAbsW, imm: 2), Mov(0, 7), Exit()), Options());
        Assert.Equal(0UL, outOfPacket.Run(new RunContext { Packet = region }, out var executed));
        Assert.Equal(2, executed);
        Assert.Equal(FaultKind.PacketContextRequired, Assert.Throws<ProgramFaultException>(() => outOfPacket.Run([])).Kind);
    }

    [Fact]
    public void Kfunc_calls_fault_with_the_btf_id()
    {
        var fault = JitRun.Fault(P(I(Opcodes.Call, 0, (int)CallSource.Kfunc, 0, 1234), Exit()));
        Assert.Equal((FaultKind.UnknownKfunc, 0, 1234UL), (fault.Kind, fault.InstructionIndex, fault.Address));
    }

    [Fact]
    public void Malformed_programs_are_refused_before_compiling()
    {
        Assert.Equal(0, Assert.Throws<InvalidInstructionException>(() => Engine.Prepare(P(I(0xff), Exit()))).InstructionIndex);
        Assert.Equal(1, Assert.Throws<InvalidInstructionException>(() => Engine.Prepare(P(Mov(0, 0), I(Opcodes.Ja, off: 5), Exit()))).InstructionIndex);
        Assert.Throws<InvalidInstructionException>(() => Engine.Prepare(P(I(Opcodes.Lddw, imm: 1))));
        Assert.Throws<InvalidInstructionException>(() => Engine.Prepare(P(I(Opcodes.Mov64Imm, 11, imm: 1), Exit())));
        Assert.Throws<InvalidInstructionException>(() => Engine.Prepare([]));
    }

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

using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Interpreter;
using SharpBpf.Isa;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Interpreter;

/// <summary>
/// Checked mode refuses every access outside the live regions, with the exact kind, slot, address and size. Every
/// engine must give the same answers: each engine runs this suite through its own subclass.
/// </summary>
public abstract class FaultTests
{
    private protected abstract IExecutionEngine Engine { get; }

    private ulong Run(Instruction[] program, byte[]? memory = null, HelperRegistry? helpers = null,
        ExecutionMode mode = ExecutionMode.Checked, long budget = 1_000_000) =>
        Engine.Prepare(program, Options(mode, helpers, budget)).Run(memory ?? []);

    private ProgramFaultException Fault(Instruction[] program, byte[]? memory = null, HelperRegistry? helpers = null, long budget = 1_000_000) =>
        Assert.Throws<ProgramFaultException>(() => Run(program, memory, helpers, budget: budget));

    /// <summary>Slot 0 records r1 (the buffer) at [r1], slot 1 records r10 at [r1+8]; then the body runs, then exit.</summary>
    private (ProgramFaultException Fault, ulong Buffer, ulong R10) FaultWithAddresses(params object[] body)
    {
        var memory = new byte[16];
        var fault = Fault(P(I(Opcodes.StxDw, 1, 1, 0), I(Opcodes.StxDw, 1, 10, 8), P(body), Exit()), memory);
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
        var fault = Fault(P(Mov(1, 0), I(Opcodes.LdxDw, 0, 1, 0), Exit()));
        AssertFault(fault, FaultKind.OutOfBoundsRead, 1, 0, 8);
        Assert.Equal("insn 1: out-of-bounds read of 8 bytes at 0x0", fault.Message);
    }

    [Fact]
    public void Wild_and_wrapping_addresses()
    {
        var fault = Fault(P(Lddw(1, 0xffff_ffff_ffff_fff0UL), I(Opcodes.StDw, 1, 0, 0x7fff, 1), Exit()));
        AssertFault(fault, FaultKind.OutOfBoundsWrite, 2, 0x7fefUL, 8);
        fault = Fault(P(Lddw(1, 0xffff_ffff_ffff_fffcUL), I(Opcodes.LdxDw, 0, 1, 0), Exit())); // range wraps past 2^64
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
            CallLocal(2), I(Opcodes.LdxDw, 0, 0, 0), Exit(),   // slots 2–4
            MovReg(0, 10), Add(0, -8), Exit());                  // slot 5: returns its own r10 - 8
        AssertFault(fault, FaultKind.OutOfBoundsRead, 3, r10 - 512 - 8, 8);
    }

    [Fact]
    public void Misaligned_atomic_faults_but_misaligned_load_does_not()
    {
        var (fault, _, r10) = FaultWithAddresses(I(Opcodes.AtomicW, 10, 0, -6, (int)AtomicOperation.Add));
        AssertFault(fault, FaultKind.MisalignedAtomic, 2, r10 - 6, 4);
        Assert.Equal(0UL, Run(P(I(Opcodes.LdxDw, 0, 10, -13), Exit())));
    }

    [Fact]
    public void Instruction_budget_stops_an_endless_loop_at_the_exact_instruction()
    {
        var loop = P(Mov(0, 0), Add(0, 1), I(Opcodes.Ja, off: -2));
        var fault = Fault(loop, budget: 10);
        Assert.Equal((FaultKind.InstructionBudgetExhausted, 2), (fault.Kind, fault.InstructionIndex));
        Assert.Equal("insn 2: instruction budget exhausted", fault.Message);
        Assert.Equal(1, Fault(loop, budget: 11).InstructionIndex);
    }

    [Fact]
    public void Default_budget_stops_a_runaway_loop()
    {
        var prepared = Engine.Prepare(P(I(Opcodes.Ja, off: -1)));
        Assert.Equal(EngineOptions.DefaultInstructionBudget, prepared.InstructionBudget);
        var fault = Assert.Throws<ProgramFaultException>(() => prepared.Run(new RunContext { InstructionBudget = 50_000 }));
        Assert.Equal(FaultKind.InstructionBudgetExhausted, fault.Kind);
    }

    [Fact]
    public void Budget_counts_every_executed_instruction()
    {
        var program = AluLoop.Build();
        Assert.Equal(AluLoop.Result, Run(program, budget: AluLoop.ExecutedInstructions));
        Engine.Prepare(program).Run(new RunContext(), out var executed);
        Assert.Equal(AluLoop.ExecutedInstructions, executed);
        var fault = Fault(program, budget: AluLoop.ExecutedInstructions - 1);
        Assert.Equal((FaultKind.InstructionBudgetExhausted, 12), (fault.Kind, fault.InstructionIndex));
    }

    [Fact]
    public void A_program_that_could_fall_off_the_end_is_refused_before_it_runs()
    {
        // The kernel's rule (and ProgramValidator's): the last instruction is exit or ja, so no run can fall off.
        var error = Assert.Throws<InvalidInstructionException>(() => Engine.Prepare(P(Mov(0, 1), Mov(0, 2))));
        Assert.Equal((1, "last insn is not an exit or jmp"), (error.InstructionIndex, error.Reason));
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
        Assert.Equal(0UL, outOfPacket.Run(new RunContext { Packet = region })); // the kernel's rule: the program ends with 0
        Assert.Equal(FaultKind.PacketContextRequired, Assert.Throws<ProgramFaultException>(() => outOfPacket.Run([])).Kind);
    }

    [Fact]
    public void Kfunc_calls_fault_with_the_btf_id()
    {
        var fault = Fault(P(I(Opcodes.Call, 0, (int)CallSource.Kfunc, 0, 1234), Exit()));
        Assert.Equal((FaultKind.UnknownKfunc, 0, 1234UL), (fault.Kind, fault.InstructionIndex, fault.Address));
    }

    [Fact]
    public void Malformed_programs_are_refused_before_running()
    {
        var engine = Engine;
        Assert.Equal(0, Assert.Throws<InvalidInstructionException>(() => engine.Prepare(P(I(0xff), Exit()))).InstructionIndex);
        Assert.Equal(1, Assert.Throws<InvalidInstructionException>(() => engine.Prepare(P(Mov(0, 0), I(Opcodes.Ja, off: 5), Exit()))).InstructionIndex);
        Assert.Throws<InvalidInstructionException>(() => engine.Prepare(P(I(Opcodes.Lddw, imm: 1))));
        Assert.Throws<InvalidInstructionException>(() => engine.Prepare(P(I(Opcodes.Mov64Imm, 11, imm: 1), Exit())));
        Assert.Throws<InvalidInstructionException>(() => engine.Prepare([]));
    }
}

/// <summary>The fault suite on the interpreter.</summary>
public sealed class InterpreterFaultTests : FaultTests
{
    private protected override IExecutionEngine Engine => InterpreterEngine.Instance;
}

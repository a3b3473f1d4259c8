using System.Runtime.InteropServices;
using SharpBpf.Execution;
using SharpBpf.Interpreter;
using SharpBpf.Isa;
using SharpBpf.Jit;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Execution;

/// <summary>
/// Proven-unchecked mode drops the run-time check of exactly the accesses the proofs name, on both engines: a load,
/// store or atomic through an address no region holds runs when its slot is marked proven and faults when it is not.
/// (Marking an out-of-bounds access proven is what these tests do on purpose; the verifier never does.)
/// </summary>
public unsafe class ProvenUncheckedModeTests
{
    public static TheoryData<string> Engines() => new() { "interpreter", "jit" };

    private static IExecutionEngine Engine(string name) => name == "jit" ? new JitEngine() : InterpreterEngine.Instance;

    /// <summary>r1 = an address outside every region; slot 0 reads it, slot 1 writes it, slot 2 adds to it atomically.</summary>
    private static readonly Instruction[] TouchOutsideEveryRegion =
    [
        I(Opcodes.LdxDw, 0, 1, 0),
        I(Opcodes.StxDw, 1, 0, 8),
        I(Opcodes.AtomicDw, 1, 0, 16, 0),
        Exit(),
    ];

    private static ulong RunOn(IExecutionEngine engine, ExecutionMode mode, int[] provenSlots, ulong* memory)
    {
        var prepared = engine.Prepare(TouchOutsideEveryRegion, new EngineOptions
        {
            Mode = mode,
            ProvenAccesses = new ProvenAccesses(provenSlots, TouchOutsideEveryRegion.Length, contextType: 0),
        });
        return prepared.Run(new RunContext { R1 = (ulong)memory });
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Proven_accesses_run_without_their_check(string engine)
    {
        var memory = (ulong*)NativeMemory.AllocZeroed(32);
        try
        {
            memory[0] = 5;
            memory[2] = 10;
            Assert.Equal(5UL, RunOn(Engine(engine), ExecutionMode.ProvenUnchecked, [0, 1, 2], memory));
            Assert.Equal(5UL, memory[1]);
            Assert.Equal(15UL, memory[2]);
        }
        finally
        {
            NativeMemory.Free(memory);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void An_access_that_is_not_proven_keeps_its_check(string engine)
    {
        var memory = (ulong*)NativeMemory.AllocZeroed(32);
        try
        {
            // Slot 0 proven, slot 1 not: the store faults before anything is written.
            var fault = Assert.Throws<ProgramFaultException>(() => RunOn(Engine(engine), ExecutionMode.ProvenUnchecked, [0, 2], memory));
            Assert.Equal((FaultKind.OutOfBoundsWrite, 1), (fault.Kind, fault.InstructionIndex));
            Assert.Equal(0UL, memory[1]);
            fault = Assert.Throws<ProgramFaultException>(() => RunOn(Engine(engine), ExecutionMode.ProvenUnchecked, [0, 1], memory));
            Assert.Equal((FaultKind.OutOfBoundsWrite, 2), (fault.Kind, fault.InstructionIndex));
        }
        finally
        {
            NativeMemory.Free(memory);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Checked_mode_ignores_proofs(string engine)
    {
        var memory = (ulong*)NativeMemory.AllocZeroed(32);
        try
        {
            var fault = Assert.Throws<ProgramFaultException>(() => RunOn(Engine(engine), ExecutionMode.Checked, [0, 1, 2], memory));
            Assert.Equal((FaultKind.OutOfBoundsRead, 0), (fault.Kind, fault.InstructionIndex));
        }
        finally
        {
            NativeMemory.Free(memory);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Proven_unchecked_without_proofs_checks_everything(string engine)
    {
        var prepared = Engine(engine).Prepare(TouchOutsideEveryRegion, new EngineOptions { Mode = ExecutionMode.ProvenUnchecked });
        Assert.All(Enumerable.Range(0, TouchOutsideEveryRegion.Length), slot => Assert.True(prepared.NeedsCheck(slot)));
        Assert.Equal(FaultKind.OutOfBoundsRead, Assert.Throws<ProgramFaultException>(() => prepared.Run(new RunContext { R1 = 8 })).Kind);
    }
}

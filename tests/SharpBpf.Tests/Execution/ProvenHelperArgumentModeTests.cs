using System.Runtime.InteropServices;
using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Interpreter;
using SharpBpf.Isa;
using SharpBpf.Jit;
using SharpBpf.Maps;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Execution;

/// <summary>
/// Proven-unchecked mode drops a helper's check of exactly the memory arguments the proofs name, on both engines (the
/// JIT's direct map calls and the helpers it calls): a key, a value or a record handed over as an address no region
/// holds is used when that argument of that call is marked proven, and faults when it is not, or in checked mode.
/// (Marking such an argument proven is what these tests do on purpose; the verifier never does.)
/// </summary>
public unsafe class ProvenHelperArgumentModeTests
{
    public static TheoryData<string> Engines() => new() { "interpreter", "jit" };

    private static IExecutionEngine Engine(string name) => name == "jit" ? new JitEngine() : InterpreterEngine.Instance;

    /// <summary>r1 = the map, r2 = <paramref name="key"/>, r3 = <paramref name="value"/> (host memory), r4 = 0; call; exit. The call is slot 6.</summary>
    private static Instruction[] CallWithHostMemory(BpfMap map, HelperId helper, nint key, nint value, int size = 0) => P(
        Lddw(1, (ulong)map.Handle),
        Lddw(2, (ulong)key),
        Lddw(3, helper == HelperId.RingbufOutput ? (ulong)size : (ulong)value),
        CallHelper((int)helper),
        Exit());

    private const int CallSlot = 6;

    private static (ulong? R0, ProgramFaultException? Fault) Run(string engine, Instruction[] program, ExecutionMode mode, params int[] provenRegisters)
    {
        var options = Options(mode, BuiltInHelpers.CreateRegistry()) with
        {
            ProvenAccesses = new ProvenAccesses([], program.Length, contextType: 0,
                provenHelperArguments: provenRegisters.Select(register => (CallSlot, register))),
        };
        var prepared = Engine(engine).Prepare(program, options);
        using var scope = EpochManager.Shared.EnterRun();
        try
        {
            return (prepared.Run(new RunContext()), null);
        }
        catch (ProgramFaultException fault)
        {
            return (null, fault);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_proven_key_outside_every_region_is_used_and_an_unproven_one_faults(string engine)
    {
        using var map = BpfMap.Create(new MapDefinition("values", MapType.Array, 4, 8, 4));
        var key = (uint*)NativeMemory.AllocZeroed(8);
        try
        {
            *key = 2;
            var program = CallWithHostMemory(map, HelperId.MapLookupElem, (nint)key, 0);
            var proven = Run(engine, program, ExecutionMode.ProvenUnchecked, 2);
            Assert.Null(proven.Fault);
            Assert.Equal((ulong)map.LookupElem((nint)key), proven.R0);

            var unproven = Run(engine, program, ExecutionMode.ProvenUnchecked);
            Assert.Equal((FaultKind.OutOfBoundsRead, CallSlot, (ulong)key), (unproven.Fault?.Kind, unproven.Fault?.InstructionIndex, unproven.Fault?.Address));

            var checkedRun = Run(engine, program, ExecutionMode.Checked, 2);
            Assert.Equal(FaultKind.OutOfBoundsRead, checkedRun.Fault?.Kind);
        }
        finally
        {
            NativeMemory.Free(key);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void An_update_checks_each_argument_the_proofs_do_not_name(string engine)
    {
        using var map = BpfMap.Create(new MapDefinition("values", MapType.Hash, 4, 8, 4));
        var memory = (ulong*)NativeMemory.AllocZeroed(16);
        try
        {
            memory[0] = 3;
            memory[1] = 0x1234;
            var program = CallWithHostMemory(map, HelperId.MapUpdateElem, (nint)memory, (nint)(memory + 1));
            // The key proven, the value not: the value's check faults and nothing is stored.
            var keyOnly = Run(engine, program, ExecutionMode.ProvenUnchecked, 2);
            Assert.Equal((FaultKind.OutOfBoundsRead, (ulong)(memory + 1)), (keyOnly.Fault?.Kind, keyOnly.Fault?.Address));
            Assert.Equal(0, map.LookupElem((nint)memory));

            var both = Run(engine, program, ExecutionMode.ProvenUnchecked, 2, 3);
            Assert.Equal(0UL, both.R0);
            Assert.Equal(0x1234UL, *(ulong*)map.LookupElem((nint)memory));
        }
        finally
        {
            NativeMemory.Free(memory);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_proven_ring_buffer_sample_is_copied_without_a_check(string engine)
    {
        using var ring = (RingBufferMap)BpfMap.Create(new MapDefinition("events", MapType.Ringbuf, 0, 0, 4096));
        var sample = (ulong*)NativeMemory.AllocZeroed(8);
        try
        {
            *sample = 0xfeed;
            var program = CallWithHostMemory(ring, HelperId.RingbufOutput, (nint)sample, 0, size: 8);
            Assert.Equal(FaultKind.OutOfBoundsRead, Run(engine, program, ExecutionMode.ProvenUnchecked).Fault?.Kind);
            Assert.Equal(FaultKind.OutOfBoundsRead, Run(engine, program, ExecutionMode.Checked, 2).Fault?.Kind);
            var proven = Run(engine, program, ExecutionMode.ProvenUnchecked, 2);
            Assert.Equal(0UL, proven.R0);
            ulong copied = 0;
            Assert.Equal(1, ring.Consume(bytes => { copied = BitConverter.ToUInt64(bytes); return true; }));
            Assert.Equal(0xfeedUL, copied);
        }
        finally
        {
            NativeMemory.Free(sample);
        }
    }
}

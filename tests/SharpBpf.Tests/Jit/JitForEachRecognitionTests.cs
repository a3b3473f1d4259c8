using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Interpreter;
using SharpBpf.Isa;
using SharpBpf.Jit;
using SharpBpf.Maps;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Jit;

/// <summary>
/// bpf_for_each_map_elem over an array a proven JIT program names by an <c>lddw</c>: the JIT recognises the array's
/// values (as for its inlined lookups), so the helper adds no region per element. What the callback's checked accesses
/// and helper arguments may reach must not change: exactly one element's value bytes, as with the interpreter, which
/// adds the regions.
/// </summary>
public class JitForEachRecognitionTests
{
    /// <summary>Four elements of 12-byte values (a 16-byte stride: 4 bytes of padding after each).</summary>
    private static BpfMap Array()
    {
        var map = BpfMap.Create(new MapDefinition("walked", MapType.Array, 4, 12, 4));
        for (uint key = 0; key < 4; key++)
        {
            map.Update(BitConverter.GetBytes(key), BitConverter.GetBytes(100UL + key).Concat(new byte[4]).ToArray());
        }

        return map;
    }

    /// <summary>r0 = for_each(map, callback, 0, 0); exit. The callback (slot 8) runs <paramref name="callback"/>, then returns r0.</summary>
    private static Instruction[] Walk(BpfMap map, params Instruction[] callback) => P(
        Lddw(1, (ulong)map.Handle),
        new Instruction(Opcodes.Lddw, 2, 4, 0, 5), new Instruction(0, 0, 0, 0, 0),
        Mov(3, 0),
        Mov(4, 0),
        CallHelper((int)HelperId.ForEachMapElem),
        Exit(),
        callback,
        Exit());

    private static PreparedProgram Prepare(IExecutionEngine engine, Instruction[] program) =>
        engine.Prepare(program, new EngineOptions
        {
            Mode = ExecutionMode.ProvenUnchecked,
            Helpers = BuiltInHelpers.CreateRegistry(),
            ProvenAccesses = new ProvenAccesses([], program.Length, contextType: 0),
        });

    private static (ulong? R0, FaultKind? Fault) Run(PreparedProgram program)
    {
        using var scope = EpochManager.Shared.EnterRun();
        try
        {
            return (program.Run(new RunContext()), null);
        }
        catch (ProgramFaultException fault)
        {
            return (null, fault.Kind);
        }
    }

    [Theory]
    [InlineData(Opcodes.LdxDw, 0, 4UL, null)]
    [InlineData(Opcodes.LdxW, 8, 4UL, null)]
    [InlineData(Opcodes.LdxW, 12, null, FaultKind.OutOfBoundsRead)] // the padding after the value
    [InlineData(Opcodes.LdxDw, 8, null, FaultKind.OutOfBoundsRead)] // straddles the value's end
    [InlineData(Opcodes.LdxB, -1, null, FaultKind.OutOfBoundsRead)] // before the first value
    public void The_callbacks_unproven_value_access_is_checked_against_the_element(byte opcode, int offset, ulong? r0, FaultKind? fault)
    {
        using var map = Array();
        // r5 = *(value + offset); r0 = 0 (go on): the walk returns the 4 elements visited.
        var program = Walk(map, I(opcode, 5, 3, (short)offset), Mov(0, 0));
        var jit = Prepare(new JitEngine(), program);
        Assert.True(jit.RecognizesMapValues(map, MemoryAccess.ReadWrite));
        Assert.Equal((r0, fault), Run(jit));
        Assert.Equal((r0, fault), Run(Prepare(EngineParity.SplitJit, program)));
        Assert.Equal((r0, fault), Run(Prepare(InterpreterEngine.Instance, program)));
    }

    [Fact]
    public void The_value_passed_to_a_helper_passes_its_check()
    {
        using var map = Array();
        // update(map = r1, key = r2, value = r3, 0): the element rewritten with itself; stop (r0 = 1) if it failed.
        var program = Walk(map, Mov(4, 0), CallHelper((int)HelperId.MapUpdateElem), I(Opcodes.JeqImm, 0, 0, 1, 0), Mov(0, 1));
        Assert.Equal((4UL, (FaultKind?)null), Run(Prepare(new JitEngine(), program)));
        Assert.Equal((4UL, (FaultKind?)null), Run(Prepare(InterpreterEngine.Instance, program)));
    }

    [Fact]
    public void A_checked_program_does_not_recognise_the_walked_array()
    {
        using var map = Array();
        var program = Walk(map, Mov(0, 0));
        var jit = new JitEngine().Prepare(program, new EngineOptions { Mode = ExecutionMode.Checked, Helpers = BuiltInHelpers.CreateRegistry() });
        Assert.False(jit.RecognizesMapValues(map, MemoryAccess.ReadWrite));
        Assert.Equal((4UL, (FaultKind?)null), Run(jit));
    }
}

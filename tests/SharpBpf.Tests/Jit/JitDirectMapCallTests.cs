using SharpBpf.Execution;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Interpreter;
using SharpBpf.Isa;
using SharpBpf.Jit;
using SharpBpf.Maps;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Jit;

/// <summary>
/// The JIT resolves a map handle loaded right before a map helper call at compile time (array lookups inlined):
/// the results, the faults and what the program may then touch must be the helper's, whatever r1 holds at run time.
/// </summary>
public class JitDirectMapCallTests
{
    private static readonly JitEngine Jit = new();

    /// <summary>key = <paramref name="key"/>; r0 = lookup(map, &amp;key); r0 = r0 ? *(u64 *)r0 : 7777.</summary>
    private static Instruction[] LookupAndRead(ulong handle, int key) => P(
        I(Opcodes.StW, 10, 0, -4, key),
        MovReg(2, 10),
        Add(2, -4),
        Lddw(1, handle),
        CallHelper((int)SharpBpf.Helpers.HelperId.MapLookupElem),
        I(Opcodes.JneImm, 0, 0, 2, 0),
        Mov(0, 7777),
        Exit(),
        I(Opcodes.LdxDw, 0, 0, 0),
        Exit());

    private static (ulong? R0, FaultKind? Fault) Run(IExecutionEngine engine, Instruction[] program, ExecutionMode mode)
    {
        var prepared = engine.Prepare(program, Options(mode, BuiltInHelpers.CreateRegistry()));
        using var scope = EpochManager.Shared.EnterRun();
        try
        {
            return (prepared.Run(new RunContext()), null);
        }
        catch (ProgramFaultException fault)
        {
            return (null, fault.Kind);
        }
    }

    private static BpfMap Array(string name, MapType type = MapType.Array, uint entries = 4)
    {
        var map = BpfMap.Create(new MapDefinition(name, type, 4, 8, entries));
        for (uint key = 0; key < 4; key++)
        {
            map.Update(BitConverter.GetBytes(key), BitConverter.GetBytes(100UL + key + (type == MapType.Hash ? 1000UL : 0UL)));
        }

        return map;
    }

    [Theory]
    [InlineData(MapType.Array, 0, ExecutionMode.Checked, 100UL)]
    [InlineData(MapType.Array, 3, ExecutionMode.Unchecked, 103UL)]
    [InlineData(MapType.Array, 4, ExecutionMode.Checked, 7777UL)]
    [InlineData(MapType.Array, -1, ExecutionMode.Unchecked, 7777UL)]
    [InlineData(MapType.Hash, 2, ExecutionMode.Checked, 1102UL)]
    [InlineData(MapType.Hash, 9, ExecutionMode.Checked, 7777UL)]
    public void A_direct_lookup_finds_what_the_helper_finds(MapType type, int key, ExecutionMode mode, ulong expected)
    {
        using var map = Array("direct", type);
        var program = LookupAndRead((ulong)map.Handle, key);
        Assert.Equal((expected, (FaultKind?)null), Run(Jit, program, mode));
        Assert.Equal(Run(InterpreterEngine.Instance, program, mode), Run(Jit, program, mode));
    }

    [Fact]
    public void A_value_read_past_its_end_faults_in_checked_mode_as_with_the_helper()
    {
        using var map = Array("past_end");
        var program = LookupAndRead((ulong)map.Handle, 1);
        program[^2] = I(Opcodes.LdxDw, 0, 0, 8);
        Assert.Equal((null, FaultKind.OutOfBoundsRead), Run(Jit, program, ExecutionMode.Checked));
        Assert.Equal(Run(InterpreterEngine.Instance, program, ExecutionMode.Checked), Run(Jit, program, ExecutionMode.Checked));
    }

    [Fact]
    public void When_r1_is_another_map_than_the_one_loaded_before_the_call_the_other_map_is_used()
    {
        using var first = Array("first");
        using var second = Array("second", MapType.Hash);
        // r1 = second; if r6 == 0 skip the lddw of first (r6 is 0), so the call sees second although first is nearest.
        var program = P(
            I(Opcodes.StW, 10, 0, -4, 2),
            MovReg(2, 10),
            Add(2, -4),
            Lddw(1, (ulong)second.Handle),
            I(Opcodes.JeqImm, 6, 0, 2, 0),
            Lddw(1, (ulong)first.Handle),
            CallHelper((int)SharpBpf.Helpers.HelperId.MapLookupElem),
            I(Opcodes.LdxDw, 0, 0, 0),
            Exit());
        Assert.Equal((1102UL, (FaultKind?)null), Run(Jit, program, ExecutionMode.Checked));
    }

    [Fact]
    public void A_disposed_map_faults_as_with_the_helper()
    {
        var map = Array("disposed");
        var program = LookupAndRead((ulong)map.Handle, 1);
        var prepared = Jit.Prepare(program, Options(ExecutionMode.Checked, BuiltInHelpers.CreateRegistry()));
        map.Dispose();
        using var scope = EpochManager.Shared.EnterRun();
        var fault = Assert.Throws<ProgramFaultException>(() => prepared.Run(new RunContext()));
        Assert.Contains("is not a map", fault.Message);
    }

    [Fact]
    public void A_direct_update_and_delete_change_the_map_as_the_helpers_do()
    {
        using var map = Array("update", MapType.Hash, entries: 8);
        var update = P(
            I(Opcodes.StW, 10, 0, -4, 9),
            I(Opcodes.StDw, 10, 0, -16, 55),
            MovReg(2, 10),
            Add(2, -4),
            MovReg(3, 10),
            Add(3, -16),
            Mov(4, 1), // BPF_NOEXIST
            Lddw(1, (ulong)map.Handle),
            CallHelper((int)SharpBpf.Helpers.HelperId.MapUpdateElem),
            Exit());
        Assert.Equal((0UL, (FaultKind?)null), Run(Jit, update, ExecutionMode.Checked));
        Assert.Equal((unchecked((ulong)-17L), (FaultKind?)null), Run(Jit, update, ExecutionMode.Checked)); // -EEXIST
        var value = new byte[8];
        Assert.Equal(Errno.None, map.Lookup(BitConverter.GetBytes(9), value));
        Assert.Equal(55UL, BitConverter.ToUInt64(value));

        var delete = P(
            I(Opcodes.StW, 10, 0, -4, 9),
            MovReg(2, 10),
            Add(2, -4),
            Lddw(1, (ulong)map.Handle),
            CallHelper((int)SharpBpf.Helpers.HelperId.MapDeleteElem),
            Exit());
        Assert.Equal((0UL, (FaultKind?)null), Run(Jit, delete, ExecutionMode.Unchecked));
        Assert.Equal((unchecked((ulong)-2L), (FaultKind?)null), Run(Jit, delete, ExecutionMode.Unchecked)); // -ENOENT
    }
}

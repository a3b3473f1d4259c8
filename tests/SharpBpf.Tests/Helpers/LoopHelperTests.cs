using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Isa;
using SharpBpf.Maps;
using static SharpBpf.Tests.Helpers.HelperKit;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Helpers;

public class LoopHelperTests
{
    private static readonly HelperRegistry Registry = BuiltInHelpers.CreateRegistry(HelperKit.Environment());

    /// <summary>callback(index, ctx): *ctx += index + 1; returns 1 when index == <paramref name="stopAt"/>.</summary>
    private static Instruction[] CountingCallback(int stopAt) => P(
        LdxDw(3, 2, 0), AddReg(3, 1), Add(3, 1), StxDw(2, 0, 3),
        Mov(0, 0), JneImm(1, stopAt, 1), Mov(0, 1), Exit());

    private static ulong[] RunLoop(long iterations, ulong flags, int stopAt)
    {
        var body = P(StDw(10, -8, 0),
            Lddw(1, (ulong)iterations), LoadCallback(2), StackPointer(3, -8), Lddw(4, flags), Call(HelperId.Loop), Save(0),
            LdxDw(0, 10, -8), Save(1));
        return Results(body, Registry, 2, tail: CountingCallback(stopAt));
    }

    [Fact]
    public void Loop_calls_back_with_the_index_and_context_and_returns_the_iteration_count()
    {
        Assert.Equal([10UL, 55UL], RunLoop(10, 0, stopAt: -1));
    }

    [Fact]
    public void A_callback_returning_one_stops_the_loop_and_counts_its_iteration()
    {
        Assert.Equal([4UL, 1 + 2 + 3 + 4UL], RunLoop(10, 0, stopAt: 3));
    }

    [Fact]
    public void Zero_iterations_never_call_back()
    {
        Assert.Equal([0UL, 0UL], RunLoop(0, 0, stopAt: 0));
    }

    [Fact]
    public void Non_zero_flags_give_einval_and_too_many_iterations_the_inlined_e2big_pattern()
    {
        Assert.Equal([Err(Errno.EINVAL), 0UL], RunLoop(5, 1, stopAt: -1));
        Assert.Equal([0x0000_0000_FFFF_FFF9UL, 0UL], RunLoop((1 << 23) + 1, 0, stopAt: -1));
        Assert.Equal([Err(Errno.EINVAL), 0UL], RunLoop((1 << 23) + 1, 2, stopAt: -1));
    }

    [Fact]
    public void The_maximum_iteration_count_is_allowed()
    {
        // The callback stops at once: 2^23 passes the limit check, 2^23 + 1 does not.
        var body = P(Lddw(1, 1UL << 23), LoadCallback(2), Mov(3, 0), Mov(4, 0), Call(HelperId.Loop), Save(0));
        Assert.Equal([1UL], Results(body, Registry, 1, tail: P(Mov(0, 1), Exit())));
    }

    [Fact]
    public void Callbacks_share_the_run_instruction_budget()
    {
        var body = P(Mov(1, 1000), LoadCallback(2), Mov(3, 0), Mov(4, 0), Call(HelperId.Loop));
        var program = ResolveCallbacks(P(body, Exit(), Mov(0, 0), Exit()), body.Length + 1);
        var fault = Assert.Throws<ProgramFaultException>(() => Run(program, Registry, budget: 500));
        Assert.Equal(FaultKind.InstructionBudgetExhausted, fault.Kind);
    }

    /// <summary>callback(map, key, value, ctx): *value += 1; ctx[0] += key; ctx[1] += 1; stops when the key is <paramref name="stopKey"/>.</summary>
    private static Instruction[] ElementCallback(int stopKey) => P(
        LdxDw(5, 3, 0), Add(5, 1), StxDw(3, 0, 5),
        LdxW(5, 2, 0), LdxDw(0, 4, 0), AddReg(0, 5), StxDw(4, 0, 0),
        LdxDw(0, 4, 8), Add(0, 1), StxDw(4, 8, 0),
        Mov(0, 0), JneImm(5, stopKey, 1), Mov(0, 1), Exit());

    private static ulong[] RunForEach(BpfMap map, int stopKey, ulong flags = 0)
    {
        var body = P(StDw(10, -16, 0), StDw(10, -8, 0),
            LoadMap(1, map), LoadCallback(2), StackPointer(3, -16), Lddw(4, flags), Call(HelperId.ForEachMapElem), Save(0),
            LdxDw(0, 10, -16), Save(1), LdxDw(0, 10, -8), Save(2));
        return Results(body, Registry, 3, tail: ElementCallback(stopKey));
    }

    [Fact]
    public void For_each_visits_every_array_element_in_index_order()
    {
        using var map = CreateMap(MapType.Array, 4, 8, 5);
        Assert.Equal([5UL, 0 + 1 + 2 + 3 + 4UL, 5UL], RunForEach(map, stopKey: -1));
        var value = new byte[8];
        Assert.Equal(Errno.None, map.Lookup(BitConverter.GetBytes(4), value));
        Assert.Equal(1UL, BitConverter.ToUInt64(value));

        Assert.Equal([3UL, 0 + 1 + 2UL, 3UL], RunForEach(map, stopKey: 2));
        Assert.Equal(Errno.None, map.Lookup(BitConverter.GetBytes(2), value));
        Assert.Equal(2UL, BitConverter.ToUInt64(value));
        Assert.Equal(Errno.None, map.Lookup(BitConverter.GetBytes(3), value));
        Assert.Equal(1UL, BitConverter.ToUInt64(value));
    }

    [Fact]
    public void For_each_visits_every_hash_element_and_passes_the_key()
    {
        using var map = CreateMap(MapType.Hash, 4, 8, 16);
        foreach (var key in new[] { 10, 20, 30 })
        {
            Assert.Equal(Errno.None, map.Update(BitConverter.GetBytes(key), BitConverter.GetBytes(100UL)));
        }

        Assert.Equal([3UL, 60UL, 3UL], RunForEach(map, stopKey: -1));
        var value = new byte[8];
        Assert.Equal(Errno.None, map.Lookup(BitConverter.GetBytes(20), value));
        Assert.Equal(101UL, BitConverter.ToUInt64(value));
    }

    [Fact]
    public void For_each_on_an_empty_map_returns_zero_and_flags_must_be_zero()
    {
        using var map = CreateMap(MapType.Hash, 4, 8, 16);
        Assert.Equal([0UL, 0UL, 0UL], RunForEach(map, stopKey: -1));
        Assert.Equal([Err(Errno.EINVAL), 0UL, 0UL], RunForEach(map, stopKey: -1, flags: 1));
    }

    [Fact]
    public void For_each_on_a_per_cpu_array_sees_the_running_cpu_copy()
    {
        using var map = CreateMap(MapType.PercpuArray, 4, 8, 2, cpus: 2);
        var body = P(StDw(10, -16, 0), StDw(10, -8, 0),
            LoadMap(1, map), LoadCallback(2), StackPointer(3, -16), Mov(4, 0), Call(HelperId.ForEachMapElem), Save(0));
        Results(body, Registry, 1, cpu: 1, tail: ElementCallback(-1));
        var all = new byte[16];
        Assert.Equal(Errno.None, map.Lookup(BitConverter.GetBytes(0), all));
        Assert.Equal([0UL, 1UL], new[] { BitConverter.ToUInt64(all, 0), BitConverter.ToUInt64(all, 8) });
    }
}

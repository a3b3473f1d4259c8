using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Isa;
using SharpBpf.Maps;
using static SharpBpf.Tests.Helpers.HelperKit;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Helpers;

public class MapHelperTests
{
    private static readonly HelperRegistry Registry = BuiltInHelpers.CreateRegistry(HelperKit.Environment());

    /// <summary>Looks up key <paramref name="key"/>, adds 5 to the u64 value through the returned pointer, returns it (or -1 when missing).</summary>
    private static Instruction[] LookupAndAdd(BpfMap map, int key, HelperId helper = HelperId.MapLookupElem, int cpu = 0) => P(
        StW(10, -4, key),
        LoadMap(1, map),
        StackPointer(2, -4),
        Mov(3, cpu),
        Call(helper),
        JneImm(0, 0, 2),
        Mov(0, -1),
        Exit(),
        LdxDw(1, 0, 0),
        Add(1, 5),
        StxDw(0, 0, 1),
        MovReg(0, 1),
        Exit());

    [Theory]
    [InlineData(ExecutionMode.Checked)]
    [InlineData(ExecutionMode.Unchecked)]
    public void Lookup_returns_the_value_address_and_writes_through_it_reach_the_host(ExecutionMode mode)
    {
        using var map = CreateMap(MapType.Array, 4, 8, 8);
        Assert.Equal(Errno.None, map.Update(BitConverter.GetBytes(3), BitConverter.GetBytes(10UL)));

        Assert.Equal(15UL, Run(LookupAndAdd(map, 3), Registry, mode: mode));

        var value = new byte[8];
        Assert.Equal(Errno.None, map.Lookup(BitConverter.GetBytes(3), value));
        Assert.Equal(15UL, BitConverter.ToUInt64(value));
    }

    [Fact]
    public void Lookup_of_a_missing_key_returns_null()
    {
        using var map = CreateMap(MapType.Hash, 4, 8, 8);
        Assert.Equal(ulong.MaxValue, Run(LookupAndAdd(map, 3), Registry));
        using var array = CreateMap(MapType.Array, 4, 8, 8);
        Assert.Equal(ulong.MaxValue, Run(LookupAndAdd(array, 8), Registry));
    }

    [Fact]
    public void A_value_of_a_read_only_map_cannot_be_written_in_checked_mode()
    {
        using var map = CreateMap(MapType.Array, 4, 8, 8, MapCreateFlags.RdonlyProg);
        var fault = Assert.Throws<ProgramFaultException>(() => Run(LookupAndAdd(map, 1), Registry));
        Assert.Equal(FaultKind.ReadOnlyWrite, fault.Kind);
        Assert.Equal(12, fault.InstructionIndex);
    }

    [Fact]
    public void Lookup_checks_the_key_pointer_against_the_key_size()
    {
        using var map = CreateMap(MapType.Hash, 16, 8, 8);
        var program = P(LoadMap(1, map), MovReg(2, 10), Add(2, -8), Call(HelperId.MapLookupElem), Exit());
        var fault = Assert.Throws<ProgramFaultException>(() => Run(program, Registry));
        Assert.Equal(FaultKind.OutOfBoundsRead, fault.Kind);
        Assert.Equal(4, fault.InstructionIndex);
    }

    [Fact]
    public void Update_honours_flags_and_returns_the_kernel_errno()
    {
        using var map = CreateMap(MapType.Hash, 4, 8, 4);
        // r6 = update(NOEXIST) (0), r7 = update(NOEXIST) again (-EEXIST), r0 = update(EXIST) on a missing key (-ENOENT)
        var program = P(
            StW(10, -4, 7), StDw(10, -16, 99),
            LoadMap(1, map), StackPointer(2, -4), StackPointer(3, -16), Mov(4, 1), Call(HelperId.MapUpdateElem), MovReg(6, 0),
            LoadMap(1, map), StackPointer(2, -4), StackPointer(3, -16), Mov(4, 1), Call(HelperId.MapUpdateElem), MovReg(7, 0),
            StW(10, -4, 8),
            LoadMap(1, map), StackPointer(2, -4), StackPointer(3, -16), Mov(4, 2), Call(HelperId.MapUpdateElem),
            Exit());
        var prepared = Prepare(program, Registry);
        using (EpochManager.Shared.EnterRun())
        {
            Assert.Equal(-2L, Signed(prepared.Run(new RunContext())));
        }

        var value = new byte[8];
        Assert.Equal(Errno.None, map.Lookup(BitConverter.GetBytes(7), value));
        Assert.Equal(99UL, BitConverter.ToUInt64(value));
        Assert.Equal(Errno.ENOENT, map.Lookup(BitConverter.GetBytes(8), value));
        Assert.Equal(1, map.Count);
    }

    [Fact]
    public void Update_with_unknown_flags_and_delete_report_einval_and_enoent()
    {
        using var map = CreateMap(MapType.Hash, 4, 8, 4);
        Assert.Equal(Errno.None, map.Update(BitConverter.GetBytes(1), BitConverter.GetBytes(5UL)));
        // r6 = update(flags 8) (-EINVAL); r7 = delete(1) (0); r0 = delete(1) again (-ENOENT); returns r0*1000 + r7*100 + r6
        var program = P(
            StW(10, -4, 1), StDw(10, -16, 1),
            LoadMap(1, map), StackPointer(2, -4), StackPointer(3, -16), Mov(4, 8), Call(HelperId.MapUpdateElem), MovReg(6, 0),
            LoadMap(1, map), StackPointer(2, -4), Call(HelperId.MapDeleteElem), MovReg(7, 0),
            LoadMap(1, map), StackPointer(2, -4), Call(HelperId.MapDeleteElem),
            I(Opcodes.Mul64Imm, 0, imm: 1000), I(Opcodes.Mul64Imm, 7, imm: 100), AddReg(0, 7), AddReg(0, 6),
            Exit());
        Assert.Equal(-2000L - 22L, Signed(Run(program, Registry)));
        Assert.Equal(0, map.Count);
    }

    [Fact]
    public void Push_pop_and_peek_work_on_a_queue_and_report_full_and_empty()
    {
        using var queue = CreateMap(MapType.Queue, 0, 8, 2);
        var results = Results(P(
            StDw(10, -8, 11), LoadMap(1, queue), StackPointer(2, -8), Mov(3, 0), Call(HelperId.MapPushElem), Save(0),
            StDw(10, -8, 22), LoadMap(1, queue), StackPointer(2, -8), Mov(3, 0), Call(HelperId.MapPushElem), Save(1),
            StDw(10, -8, 33), LoadMap(1, queue), StackPointer(2, -8), Mov(3, 0), Call(HelperId.MapPushElem), Save(2),
            LoadMap(1, queue), StackPointer(2, -16), Call(HelperId.MapPeekElem), Save(3), LdxDw(0, 10, -16), Save(4),
            LoadMap(1, queue), StackPointer(2, -16), Call(HelperId.MapPopElem), Save(5), LdxDw(0, 10, -16), Save(6),
            LoadMap(1, queue), StackPointer(2, -16), Call(HelperId.MapPopElem), Save(7), LdxDw(0, 10, -16), Save(8),
            LoadMap(1, queue), StackPointer(2, -16), Call(HelperId.MapPopElem), Save(9),
            StDw(10, -8, 44), LoadMap(1, queue), StackPointer(2, -8), Mov(3, 1), Call(HelperId.MapPushElem), Save(10)),
            Registry, 11);
        Assert.Equal([0UL, 0, Err(Errno.E2BIG), 0, 11, 0, 11, 0, 22, Err(Errno.ENOENT), Err(Errno.EINVAL)], results);
    }

    [Fact]
    public void Push_with_exist_on_a_full_queue_overwrites_the_oldest()
    {
        using var queue = CreateMap(MapType.Queue, 0, 8, 2);
        var results = Results(P(
            StDw(10, -8, 1), LoadMap(1, queue), StackPointer(2, -8), Mov(3, 0), Call(HelperId.MapPushElem),
            StDw(10, -8, 2), LoadMap(1, queue), StackPointer(2, -8), Mov(3, 0), Call(HelperId.MapPushElem),
            StDw(10, -8, 3), LoadMap(1, queue), StackPointer(2, -8), Mov(3, 2), Call(HelperId.MapPushElem), Save(0),
            LoadMap(1, queue), StackPointer(2, -16), Call(HelperId.MapPopElem), LdxDw(0, 10, -16), Save(1)),
            Registry, 2);
        Assert.Equal([0UL, 2], results);
    }

    [Fact]
    public void Lookup_percpu_reads_the_given_cpu_copy_and_lookup_reads_the_running_cpu()
    {
        using var map = CreateMap(MapType.PercpuArray, 4, 8, 2, cpus: 4);
        var all = new byte[8 * 4];
        for (var cpu = 0; cpu < 4; cpu++)
        {
            BitConverter.TryWriteBytes(all.AsSpan(cpu * 8), 100UL * (ulong)(cpu + 1));
        }

        Assert.Equal(Errno.None, map.Update(BitConverter.GetBytes(1), all));
        Assert.Equal(305UL, Run(LookupAndAdd(map, 1, HelperId.MapLookupPercpuElem, cpu: 2), Registry));
        Assert.Equal(205UL, Run(LookupAndAdd(map, 1, HelperId.MapLookupElem), Registry, cpu: 1));
        Assert.Equal(ulong.MaxValue, Run(LookupAndAdd(map, 1, HelperId.MapLookupPercpuElem, cpu: 4), Registry));

        Assert.Equal(Errno.None, map.Lookup(BitConverter.GetBytes(1), all));
        Assert.Equal([100UL, 205UL, 305UL, 400UL], Enumerable.Range(0, 4).Select(c => BitConverter.ToUInt64(all, c * 8)));
    }

    [Fact]
    public void A_handle_that_names_no_map_faults_the_run()
    {
        var program = P(Lddw(1, 0xdead_0000_0000), StackPointer(2, -8), Call(HelperId.MapLookupElem), Exit());
        var fault = Assert.Throws<ProgramFaultException>(() => Run(program, Registry));
        Assert.Equal(FaultKind.HelperFault, fault.Kind);
        Assert.Equal(4, fault.InstructionIndex);
        Assert.Contains("bpf_map_lookup_elem", fault.Message);
    }
}

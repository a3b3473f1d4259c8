using SharpBpf.Btf;
using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Isa;
using SharpBpf.Maps;
using SharpBpf.Time;
using SharpBpf.Timers;
using static SharpBpf.Tests.Helpers.HelperKit;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Helpers;

public class TimerHelperTests
{
    /// <summary>Runs the callback subprogram the way a runtime would: a new run at its slot with (map, key, value).</summary>
    private sealed class SubprogramCallback(PreparedProgram program, int slot) : ITimerCallback
    {
        public ITimerProgram? Program => null;
        public string Name => $"slot {slot}";

        public long Invoke(ITimerMap map, nint key, nint value)
        {
            var bpfMap = ((TimerMapAdapter)map).Map;
            var context = new RunContext { EntrySlot = slot }
                .WithArguments((ulong)bpfMap.Handle, (ulong)key, (ulong)value)
                .AddRegion(value, bpfMap.ValueSize, MemoryAccess.ReadWrite, RegionKind.HelperMemory)
                .AddRegion(key, bpfMap.KeySize, MemoryAccess.Read, RegionKind.HelperMemory);
            using var scope = EpochManager.Shared.EnterRun();
            return (long)program.Run(context);
        }
    }

    private static BpfMap TimerArray() => BpfMap.Create(
        new MapDefinition("timers", MapType.Array, 4, 32, 2) { SpecialFields = [SpecialField.Timer(8)], HasValueBtf = true });

    /// <summary>Value: u64 count, bpf_timer at 8, u64 last key at 24. value[1].count += 1 from a timer that main arms <paramref name="delay"/> ns ahead; main saves the four helper results.</summary>
    private static Instruction[] ArmTimer(BpfMap map, int delay) => P(
        StW(10, -4, 1), LoadMap(1, map), StackPointer(2, -4), Call(HelperId.MapLookupElem), JeqImm(0, 0, 26), MovReg(6, 0),
        MovReg(1, 6), Add(1, 8), LoadMap(2, map), Mov(3, (int)ClockId.Monotonic), Call(HelperId.TimerInit), Save(0),
        MovReg(1, 6), Add(1, 8), LoadMap(2, map), Mov(3, 0), Call(HelperId.TimerInit), Save(1),
        MovReg(1, 6), Add(1, 8), LoadCallback(2), Call(HelperId.TimerSetCallback), Save(2),
        MovReg(1, 6), Add(1, 8), Mov(2, delay), Mov(3, 0), Call(HelperId.TimerStart), Save(3));

    private static readonly Instruction[] CountingCallback = P(LdxDw(4, 3, 0), Add(4, 1), StxDw(3, 0, 4), LdxW(4, 2, 0), StxDw(3, 24, 4), Mov(0, 0), Exit());

    private static ulong[] ReadValue(BpfMap map, uint key)
    {
        var value = new byte[32];
        Assert.Equal(Errno.None, map.Lookup(BitConverter.GetBytes(key), value));
        return [BitConverter.ToUInt64(value, 0), BitConverter.ToUInt64(value, 8) | BitConverter.ToUInt64(value, 16), BitConverter.ToUInt64(value, 24)];
    }

    [Fact]
    public void A_program_arms_a_timer_that_fires_its_callback_on_virtual_time()
    {
        var clock = new VirtualClock();
        using var service = new TimerService(clock);
        var environment = new HelperEnvironment
        {
            Clock = clock,
            Timers = TimerBindings.ForMaps(service, (program, slot) => new SubprogramCallback((PreparedProgram)program, slot)),
        };
        var registry = BuiltInHelpers.CreateRegistry(environment);
        Assert.Equal(102, registry.Count);
        using var map = TimerArray();

        Assert.Equal([0UL, Err(Errno.EBUSY), 0UL, 0UL], Results(ArmTimer(map, 1000), registry, 4, tail: CountingCallback));
        Assert.Equal(1, service.ArmedCount);
        clock.Advance(999);
        Assert.Equal(0UL, ReadValue(map, 1)[0]);
        clock.Advance(1);
        // count 1, the timer bytes read as zero from the host, the callback saw key 1
        Assert.Equal([1UL, 0UL, 1UL], ReadValue(map, 1));
        Assert.Equal(0, service.ArmedCount);
    }

    [Fact]
    public void Cancel_disarms_and_an_array_update_frees_the_timer()
    {
        var clock = new VirtualClock();
        using var service = new TimerService(clock);
        var registry = BuiltInHelpers.CreateRegistry(new HelperEnvironment
        {
            Clock = clock,
            Timers = TimerBindings.ForMaps(service, (program, slot) => new SubprogramCallback((PreparedProgram)program, slot)),
        });
        using var map = TimerArray();
        Results(ArmTimer(map, 500), registry, 4, tail: CountingCallback);
        var cancel = P(StW(10, -4, 1), LoadMap(1, map), StackPointer(2, -4), Call(HelperId.MapLookupElem), JeqImm(0, 0, 4),
            MovReg(1, 0), Add(1, 8), Call(HelperId.TimerCancel), Save(0));
        Assert.Equal([1UL], Results(cancel, registry, 1));
        Assert.Equal([0UL], Results(cancel, registry, 1));
        clock.Advance(10_000);
        Assert.Equal(0UL, ReadValue(map, 1)[0]);

        Results(ArmTimer(map, 500), registry, 4, tail: CountingCallback);
        Assert.Equal(1, service.InitializedCount);
        Assert.Equal(Errno.None, map.Update(BitConverter.GetBytes(1), new byte[32]));
        Assert.Equal(0, service.InitializedCount);
        clock.Advance(10_000);
        Assert.Equal(0UL, ReadValue(map, 1)[0]);
    }

    [Fact]
    public void Without_bindings_the_timer_helpers_are_not_registered()
    {
        var registry = BuiltInHelpers.CreateRegistry(HelperKit.Environment());
        Assert.False(registry.TryGet((int)HelperId.TimerStart, out _));
        Assert.False(TimerMapAdapter.HasTimer(CreateMap(MapType.Array, 4, 24, 2)));
    }
}

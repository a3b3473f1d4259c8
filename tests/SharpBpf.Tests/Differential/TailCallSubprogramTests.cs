using System.Buffers.Binary;
using SharpBpf.Runtime;
using SharpBpf.Tests.Kernel;
using SharpBpf.Tests.Support;
using static SharpBpf.Tests.Differential.RealWorldPackets;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// Tail calls made from bpf-to-bpf subprograms (Data/realworld/tail_subprog.c). Linux 6.18 returns from the target to
/// the subprogram's caller and allows 33 tail calls per run however deep they are made; the events map records the
/// order in which code ran, so both the control flow and the return values are compared.
/// </summary>
public class TailCallSubprogramTests
{
    public static TheoryData<EngineKind> Engines() => [EngineKind.Interpreter, EngineKind.Jit];

    private static readonly byte[] Packet = Udp(10, 0, 0, 1);

    [Theory]
    [MemberData(nameof(Engines))]
    public void Target_returns_to_the_subprograms_caller(EngineKind engine)
    {
        using var obj = BpfObject.Load(RealWorldData.PathOf("tail_subprog.o"), new BpfObjectOptions { Engine = engine });

        var result = obj.Programs["dispatcher"].Run(Packet);

        // leaf returned 32 to the dispatcher (which then recorded 432); the empty slot 3 fell through (203, then 1005).
        Assert.Equal(321015ul, result.ReturnValue);
        Assert.Equal([100ul, 300, 432, 103, 203, 1505], Events(obj));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Chain_through_subprograms_stops_after_33_tail_calls(EngineKind engine)
    {
        using var obj = BpfObject.Load(RealWorldData.PathOf("tail_subprog.o"), new BpfObjectOptions { Engine = engine });

        var result = obj.Programs["hop"].Run(Packet);

        var events = Events(obj);
        Assert.Equal(34, events.Count(e => e == 1));
        Assert.Equal(1, events.Count(e => e == 201));
        Assert.Equal(1103ul, result.ReturnValue);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Chain_made_three_calls_deep_keeps_every_frame_below_it(EngineKind engine)
    {
        using var obj = BpfObject.Load(RealWorldData.PathOf("tail_subprog.o"), new BpfObjectOptions { Engine = engine });

        // 34 bodies, each three frames deeper than the last: about 100 live frames at the deepest point.
        var result = obj.Programs["deep_hop"].Run(Packet);

        Assert.Equal(34, Events(obj).Count(e => e == 2));
        Assert.Equal(1477ul, result.ReturnValue);
    }

    [KernelTheory]
    [MemberData(nameof(Engines))]
    public void Tail_calls_from_subprograms_run_as_in_linux(EngineKind engine)
    {
        foreach (var program in new[] { "dispatcher", "hop", "deep_hop", "leaf" })
        {
            using var worlds = new RealWorldWorlds("tail_subprog.o", engine);
            worlds.Run(program, Packet);
            worlds.Run(program, Packet);
            worlds.AssertSameMaps();
        }
    }

    /// <summary>Neighbours of the call_tail_* rejections in Data/verifier: what Linux allows must load in SharpBpf.</summary>
    [Theory]
    [InlineData("accepted_tail_stack_below_240.o")]
    [InlineData("accepted_tail_own_frame_not_counted.o")]
    public void Tail_call_stack_neighbours_are_accepted(string objectName)
    {
        using var obj = BpfObject.Load(KernelVerdicts.PathOf(objectName));
        Assert.Single(obj.Programs);
    }

    [KernelTheory]
    [InlineData("accepted_tail_stack_below_240.o")]
    [InlineData("accepted_tail_own_frame_not_counted.o")]
    public void Tail_call_stack_neighbours_are_accepted_by_linux(string objectName)
    {
        using var kernel = SharpBpf.Kernel.KernelObject.Open(KernelVerdicts.PathOf(objectName));
        Assert.Single(kernel.Programs);
    }

    private static List<ulong> Events(BpfObject obj)
    {
        var map = obj.Maps["events"];
        var value = new byte[8];
        map.Lookup(BitConverter.GetBytes(0u), value);
        var count = BinaryPrimitives.ReadUInt64LittleEndian(value);
        var events = new List<ulong>();
        for (var slot = 1u; slot <= count; slot++)
        {
            map.Lookup(BitConverter.GetBytes(slot), value);
            events.Add(BinaryPrimitives.ReadUInt64LittleEndian(value));
        }

        return events;
    }
}

using SharpBpf.Maps;
using SharpBpf.Runtime;
using SharpBpf.Tests.Kernel;
using SharpBpf.Tests.Support;
using static SharpBpf.Tests.Differential.RealWorldPackets;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// Dynptrs at run time (Data/realworld/dynptr_records.c): ring buffer records reserved, written (bpf_dynptr_write and a
/// bpf_dynptr_data slice) and submitted or discarded through a dynptr, and every dynptr helper's answer at its edges,
/// the same in Linux 6.18 and in SharpBpf (return values, maps and the ring buffer's records), both engines. The
/// verifier's dynptr rules are the generated corpus's dynptr_* programs.
/// </summary>
public class DynptrDifferentialTests
{
    public static TheoryData<EngineKind> Engines() => [EngineKind.Interpreter, EngineKind.Jit];

    private static byte[][] Packets()
    {
        var large = new byte[200];
        for (var i = 0; i < large.Length; i++)
        {
            large[i] = (byte)(i * 7);
        }

        return [Udp(10, 0, 0, 1), new byte[14], Udp(192, 168, 1, 2), large];
    }

    [KernelTheory]
    [MemberData(nameof(Engines))]
    public void Ring_buffer_records_written_through_dynptrs_are_linuxs(EngineKind engine)
    {
        using var worlds = new RealWorldWorlds("dynptr_records.o", engine);
        foreach (var packet in Packets())
        {
            worlds.Run("record_packets", packet);
        }

        var kernelRecords = worlds.Kernel.Maps["events"].ConsumeRingBuffer().Select(Convert.ToHexStringLower).ToList();
        Assert.Equal(3, kernelRecords.Count);
        Assert.Equal(kernelRecords, Records(worlds.Ours));
    }

    [KernelTheory]
    [MemberData(nameof(Engines))]
    public void Dynptr_helpers_answer_at_their_edges_as_linux(EngineKind engine)
    {
        using var worlds = new RealWorldWorlds("dynptr_records.o", engine);
        worlds.Run("dynptr_edges", Udp(10, 0, 0, 1));
        worlds.AssertSameMaps();
        Assert.Equal(worlds.Kernel.Maps["events"].ConsumeRingBuffer().Count, Records(worlds.Ours).Count);
    }

    /// <summary>The answers Linux 6.18 gave (measured with the test above): -E2BIG out of range, -EINVAL for flags, a NULL dynptr or a record the ring cannot hold.</summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public void Dynptr_helpers_give_the_kernels_values(EngineKind engine)
    {
        using var ours = BpfObject.Load(RealWorldData.PathOf("dynptr_records.o"), new BpfObjectOptions { Engine = engine });
        Assert.Equal(2ul, ours.Programs["dynptr_edges"].Run(Udp(10, 0, 0, 1)).ReturnValue);
        long[] expected = [0, 0, -7, -22, 0, 0x1122334455667788, -7, -22, 1, -22, -22, -22, -22, -22];
        Assert.Equal(expected, expected.Select((_, slot) => Result(ours, slot)));
        Assert.Empty(Records(ours));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_record_holds_the_packets_head_and_length(EngineKind engine)
    {
        using var ours = BpfObject.Load(RealWorldData.PathOf("dynptr_records.o"), new BpfObjectOptions { Engine = engine });
        var packet = Udp(10, 0, 0, 1);
        Assert.Equal(2ul, ours.Programs["record_packets"].Run(packet).ReturnValue);
        Assert.Equal(1ul, ours.Programs["record_packets"].Run(new byte[14]).ReturnValue);
        var expected = packet.AsSpan(0, 16).ToArray().Concat(BitConverter.GetBytes((ulong)packet.Length)).ToArray();
        Assert.Equal([Convert.ToHexStringLower(expected)], Records(ours));
    }

    private static List<string> Records(BpfObject obj)
    {
        var records = new List<string>();
        ((RingBufferMap)obj.Maps["events"]).Consume(sample =>
        {
            records.Add(Convert.ToHexStringLower(sample));
            return true;
        });
        return records;
    }

    private static long Result(BpfObject obj, int slot)
    {
        var value = new byte[8];
        obj.Maps["results"].Lookup(BitConverter.GetBytes(slot), value);
        return BitConverter.ToInt64(value);
    }
}

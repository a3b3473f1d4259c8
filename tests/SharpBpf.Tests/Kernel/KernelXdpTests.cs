using System.Buffers.Binary;
using SharpBpf.Kernel;

namespace SharpBpf.Tests.Kernel;

public class KernelXdpTests
{
    private const uint XdpPass = 2;
    private const uint XdpTx = 3;

    private static byte[] Packet(byte first)
    {
        byte[] packet = new byte[14];
        for (int i = 0; i < packet.Length; i++) packet[i] = (byte)i;
        packet[0] = first;
        return packet;
    }

    private static byte[] U32(uint value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static ulong U64(byte[] bytes) => BinaryPrimitives.ReadUInt64LittleEndian(bytes);

    [KernelFact]
    public void Open_ListsProgramsAndMapsAsLibbpfNamesThem()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("xdp_counter.o"));

        Assert.Equal("xdp_counter", obj.Name);
        Assert.Equal(["xdp_count", "xdp_grow"], obj.Programs.Select(p => p.Name));
        Assert.All(obj.Programs, p => Assert.Equal("xdp", p.SectionName));
        Assert.All(obj.Programs, p => Assert.Equal("xdp", p.TypeName));
        Assert.All(obj.Programs, p => Assert.Equal(6, p.ProgramType));

        Assert.Equal(["counters", "by_first_byte", "xdp_coun.bss"], obj.Maps.Select(m => m.Name));
        var counters = obj.Maps["counters"];
        Assert.Equal(("array", 2, 4, 8, 4u, 0u), (counters.TypeName, counters.MapType, counters.KeySize, counters.ValueSize, counters.MaxEntries, counters.Flags));
        var hash = obj.Maps["by_first_byte"];
        Assert.Equal(("hash", 4, 8, 16u), (hash.TypeName, hash.KeySize, hash.ValueSize, hash.MaxEntries));
        var bss = obj.Maps["xdp_coun.bss"];
        // libbpf makes global data mmap()able: BPF_F_MMAPABLE (0x400).
        Assert.Equal(("array", 4, 8, 1u, 0x400u), (bss.TypeName, bss.KeySize, bss.ValueSize, bss.MaxEntries, bss.Flags));
        Assert.NotEqual(counters.Id, hash.Id);
        Assert.False(counters.IsPerCpu);
    }

    [KernelFact]
    public void Open_FromBytes_UsesTheGivenNameForGlobalData()
    {
        byte[] elf = File.ReadAllBytes(KernelTestData.PathOf("xdp_counter.o"));
        using var obj = KernelObject.Open(elf, "frombytes_object");

        // libbpf keeps at most 15 characters of an object name (BPF_OBJ_NAME_LEN - 1).
        Assert.Equal("frombytes_objec", obj.Name);
        Assert.True(obj.Maps.Contains("frombyte.bss"));
        Assert.Equal(XdpPass, obj.Programs["xdp_count"].Run(Packet(1)).ReturnValue);
    }

    [KernelFact]
    public void Run_CountsIntoArrayHashAndGlobalData()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("xdp_counter.o"));
        var program = obj.Programs["xdp_count"];

        var first = program.Run(Packet(0xaa));
        var repeated = program.Run(Packet(0xbb), repeat: 3);

        Assert.Equal(XdpPass, first.ReturnValue);
        Assert.Equal(Packet(0xaa), first.DataOut);
        Assert.Empty(first.ContextOut);
        Assert.Equal(XdpPass, repeated.ReturnValue);
        Assert.Equal(Packet(0xbb), repeated.DataOut);

        var counters = obj.Maps["counters"];
        Assert.Equal(4UL, U64(counters.Lookup(U32(0))!));
        Assert.Equal(4UL * 14, U64(counters.Lookup(U32(1))!));
        Assert.Equal(0UL, U64(counters.Lookup(U32(2))!));

        var seen = obj.Maps["by_first_byte"].Entries();
        Assert.Equal([U32(0xaa), U32(0xbb)], seen.Select(e => e.Key));
        Assert.Equal([1UL, 3UL], seen.Select(e => U64(e.Value)));

        Assert.Equal(4UL, U64(obj.Maps["xdp_coun.bss"].Lookup(U32(0))!));
    }

    [KernelFact]
    public void Run_GrownPacketComesBackWhole_AndRepeatsReuseOneBuffer()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("xdp_counter.o"));
        var program = obj.Programs["xdp_grow"];

        var once = program.Run(Packet(0x10));
        var thrice = program.Run(Packet(0x10), repeat: 3);

        Assert.Equal(XdpTx, once.ReturnValue);
        byte[] expectedOnce = [.. Packet(0x11), 0xde, 0xad, 0xbe, 0xef];
        Assert.Equal(expectedOnce, once.DataOut);

        Assert.Equal(XdpTx, thrice.ReturnValue);
        byte[] expectedThrice = [.. Packet(0x13), 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(expectedThrice, thrice.DataOut);
    }

    [KernelFact]
    public void Run_WithXdpMdContext_ReturnsTheContextAfterTheRun()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("xdp_counter.o"));
        // struct xdp_md { u32 data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex; }:
        // the kernel takes data_end = packet length and gives the offsets back after the run.
        byte[] context = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(4), 14);

        var result = obj.Programs["xdp_grow"].Run(Packet(0), context);

        Assert.Equal(XdpTx, result.ReturnValue);
        Assert.Equal(18, result.DataOut.Length);
        Assert.Equal(24, result.ContextOut.Length);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(result.ContextOut));
        Assert.Equal(18u, BinaryPrimitives.ReadUInt32LittleEndian(result.ContextOut.AsSpan(4)));
    }

    [KernelFact]
    public void Run_PacketShorterThanEthernetHeader_IsRefusedWithEinval()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("xdp_counter.o"));

        var error = Assert.Throws<KernelCallException>(() => obj.Programs["xdp_count"].Run(new byte[10]));

        Assert.Equal(22, error.Errno);
        Assert.Contains("xdp_count", error.Message);
    }

    [KernelFact]
    public void ArrayMap_EntriesListEveryIndexSortedByKeyBytes()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("xdp_counter.o"));
        var counters = obj.Maps["counters"];
        Assert.Equal(0, counters.Update(U32(3), BitConverter.GetBytes(7UL)));

        var entries = counters.Entries();

        Assert.Equal([U32(0), U32(1), U32(2), U32(3)], entries.Select(e => e.Key));
        Assert.Equal([0UL, 0UL, 0UL, 7UL], entries.Select(e => U64(e.Value)));
    }

    [KernelFact]
    public void MapOperations_ReturnTheKernelsErrnoValues()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("xdp_counter.o"));
        var hash = obj.Maps["by_first_byte"];
        var array = obj.Maps["counters"];
        byte[] value = BitConverter.GetBytes(42UL);

        Assert.Null(hash.Lookup(U32(5)));
        Assert.Equal(0, hash.Update(U32(5), value, KernelMapUpdateFlags.NoExist));
        Assert.Equal(-17, hash.Update(U32(5), value, KernelMapUpdateFlags.NoExist));   // -EEXIST
        Assert.Equal(-2, hash.Update(U32(6), value, KernelMapUpdateFlags.Exist));      // -ENOENT
        Assert.Equal(value, hash.Lookup(U32(5)));
        Span<byte> next = stackalloc byte[4];
        Assert.Equal(0, hash.GetNextKey([], next));
        Assert.Equal(U32(5), next.ToArray());
        Assert.Equal(-2, hash.GetNextKey(U32(5), next));
        Assert.Equal(0, hash.Delete(U32(5)));
        Assert.Equal(-2, hash.Delete(U32(5)));
        Assert.Empty(hash.Entries());

        Assert.Equal(-22, array.Delete(U32(0)));                                       // -EINVAL
        Assert.Equal(-7, array.Update(U32(4), value));                                 // -E2BIG
        Assert.Equal(-17, array.Update(U32(0), value, KernelMapUpdateFlags.NoExist));
        Assert.Throws<ArgumentException>(() => array.Update(U32(0), new byte[3]));
    }

    [KernelFact]
    public void Disposed_ObjectRefusesUse()
    {
        var obj = KernelObject.Open(KernelTestData.PathOf("xdp_counter.o"));
        var program = obj.Programs["xdp_count"];
        var map = obj.Maps["counters"];
        obj.Dispose();

        Assert.Throws<ObjectDisposedException>(() => program.Run(Packet(1)));
        Assert.Throws<ObjectDisposedException>(() => map.Lookup(U32(0)));
    }

    [KernelFact]
    public void UnknownNames_ListWhatExists()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("xdp_counter.o"));

        var error = Assert.Throws<KeyNotFoundException>(() => obj.Programs["nope"]);

        Assert.Contains("xdp_count, xdp_grow", error.Message);
    }
}

using System.Buffers.Binary;
using SharpBpf.Kernel;

namespace SharpBpf.Tests.Kernel;

/// <summary>skb-based program types: what the kernel's test run reports for them (../shared/spec/test-run.md).</summary>
public class KernelSkbTests
{
    private static byte[] Packet(int length)
    {
        byte[] packet = new byte[length];
        for (int i = 0; i < length; i++) packet[i] = (byte)(0x40 + i);
        return packet;
    }

    [KernelFact]
    public void TcProgram_ReturnsMinusOneAs32BitUnsigned_AndGivesTheMarkBackInTheContext()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("skb.o"));
        var program = obj.Programs["tc_mark"];
        Assert.Equal(("tc", "sched_cls"), (program.SectionName, program.TypeName));
        // struct __sk_buff { u32 len; u32 pkt_type; u32 mark; ... }: an all-zero context is accepted.
        byte[] context = new byte[192];

        var result = program.Run(Packet(40), context);

        Assert.Equal(4294967295u, result.ReturnValue);
        Assert.Equal(Packet(40), result.DataOut);
        Assert.True(result.ContextOut.Length >= 12);
        // The kernel copies back only the fields a test may set (mark, priority, cb, ...), not len.
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(result.ContextOut));
        Assert.Equal(1040u, BinaryPrimitives.ReadUInt32LittleEndian(result.ContextOut.AsSpan(8)));
    }

    [KernelFact]
    public void SocketFilter_SeesThePacketFromTheNetworkHeader_AndReturnsEthernetAsZeros()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("skb.o"));
        var program = obj.Programs["socket_len"];
        Assert.Equal("socket_filter", program.TypeName);

        var result = program.Run(Packet(40));

        Assert.Equal(26u, result.ReturnValue);
        byte[] expected = Packet(40);
        Array.Clear(expected, 0, 14);
        Assert.Equal(expected, result.DataOut);
    }
}

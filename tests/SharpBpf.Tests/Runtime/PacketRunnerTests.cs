using SharpBpf.Execution;
using SharpBpf.Runtime;
using SharpBpf.Runtime.Contexts;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Runtime;

/// <summary>
/// A <see cref="PacketRunner"/> reuses one frame and clears only what the last packet could have touched; no packet
/// may see another's bytes, whatever the lengths and the head/tail/meta adjustments.
/// </summary>
public unsafe class PacketRunnerTests
{
    private const uint XdpPass = 2;

    private static byte[] Packet(int length, byte fill)
    {
        var packet = new byte[length];
        packet.AsSpan().Fill(fill);
        // An IPv4 Ethernet frame to a broadcast address; the rest is the fill.
        packet.AsSpan(0, 6).Fill(0xff);
        packet[12] = 0x08;
        packet[13] = 0x00;
        return packet;
    }

    [Theory]
    [InlineData(EngineKind.Jit, ExecutionMode.ProvenUnchecked)]
    [InlineData(EngineKind.Jit, ExecutionMode.Checked)]
    [InlineData(EngineKind.Interpreter, ExecutionMode.ProvenUnchecked)]
    [InlineData(EngineKind.Interpreter, ExecutionMode.Checked)]
    public void A_packet_never_sees_the_stamps_an_earlier_packet_left_in_headroom_or_tail(EngineKind engine, ExecutionMode mode)
    {
        // packet_leftovers.c reads the 64 headroom bytes adjust_head exposes and the 64 tail bytes adjust_tail grows,
        // stamps them with 0xab, and passes only when what it read was zero (as on Linux, where every test run starts
        // on a zeroed frame).
        using var obj = BpfObject.Load(Path.Combine(RealWorldData.Folder, "packet_leftovers.o"), new BpfObjectOptions { Engine = engine, Mode = mode });
        var program = obj.Programs["leftovers"];
        using var runner = program.CreatePacketRunner();
        var lengths = new[] { 300, 70, 300, 1200, 64, 64, 500, 65 };
        foreach (var (length, i) in lengths.Select((l, i) => (l, i)))
        {
            Assert.True(XdpPass == runner.Run(Packet(length, (byte)(0x10 + i))), $"packet {i} ({length} bytes) saw bytes of an earlier one");
            var output = runner.DataOut;
            Assert.Equal(length + 64, output.Length);
            Assert.True(output[..128].IndexOfAnyExcept((byte)0xab) < 0);
        }

        Assert.Equal(XdpPass, program.Run(Packet(100, 0x42)).ReturnValue);
        var runs = new byte[8];
        Assert.Equal(SharpBpf.Maps.Errno.None, obj.Maps.Single(m => m.Name.EndsWith(".bss", StringComparison.Ordinal)).Lookup(new byte[4], runs));
        Assert.Equal((ulong)lengths.Length + 1, BitConverter.ToUInt64(runs));
    }

    [Fact]
    public void A_reset_leaves_every_frame_byte_outside_the_new_packet_zero()
    {
        var random = new Random(20261208);
        using var context = PacketContext.ForXdp(Packet(1500, 0x77), [], "test");
        for (var step = 0; step < 2000; step++)
        {
            var length = random.Next(14, 3000);
            var packet = Packet(length, (byte)random.Next(1, 256));
            context.ResetXdp(packet, "test");
            AssertOnlyThePacketIsNonZero(context, packet);

            // What a run may do: move data_meta, data and data_end within the frame as the adjust helpers allow, and
            // write anywhere in [data_meta, data_end) at each point.
            for (var move = random.Next(0, 4); move > 0; move--)
            {
                switch (random.Next(3))
                {
                    case 0:
                        var head = context.BufferStart + 40 + random.Next(0, (int)(context.DataEnd - context.BufferStart - 40 - 14));
                        context.DataMeta = head;
                        context.Data = head;
                        break;
                    case 1:
                        var meta = context.Data - (4 * random.Next(0, 64));
                        if (meta >= context.BufferStart + 40) context.DataMeta = meta;
                        break;
                    default:
                        context.DataEnd = context.Data + 14 + random.Next(0, (int)(context.BufferEnd - context.Data - 14));
                        break;
                }

                new Span<byte>((void*)context.DataMeta, (int)(context.DataEnd - context.DataMeta)).Fill(0xee);
            }
        }
    }

    private static void AssertOnlyThePacketIsNonZero(PacketContext context, byte[] packet)
    {
        var frame = new ReadOnlySpan<byte>((void*)context.BufferStart, (int)(context.BufferEnd - context.BufferStart));
        var data = (int)(context.Data - context.BufferStart);
        Assert.Equal(ContextLayouts.XdpHeadroom, data);
        Assert.Equal(context.Data, context.DataMeta);
        Assert.True(frame[..data].IndexOfAnyExcept((byte)0) < 0, "headroom holds bytes of an earlier packet");
        Assert.True(frame.Slice(data, packet.Length).SequenceEqual(packet));
        Assert.True(frame[(data + packet.Length)..].IndexOfAnyExcept((byte)0) < 0, "tailroom holds bytes of an earlier packet");
    }
}

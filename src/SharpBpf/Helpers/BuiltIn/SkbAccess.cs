using System.Buffers.Binary;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>What the skb helpers share: finding the run's skb, reading and writing its <c>__sk_buff</c> fields, bounds.</summary>
internal static unsafe class SkbAccess
{
    // __sk_buff offsets (include/uapi/linux/bpf.h).
    public const int Len = 0, PacketType = 4, Protocol = 16, VlanPresent = 20, VlanTci = 24, VlanProto = 28, Hash = 68;
    public const int Tstamp = 152, TstampType = 180;

    public const ushort EtherTypeIpv4 = 0x0800, EtherTypeIpv6 = 0x86dd, EtherType8021Q = 0x8100, EtherType8021AD = 0x88a8;
    public const int EthernetHeaderLength = 14, VlanHeaderLength = 4;

    /// <summary>The kernel's largest linear test-run skb (measured: bpf_skb_change_tail and change_head stop there).</summary>
    public const int MaxLength = 16064;

    public static ISkbContext Skb(HelperCallContext context, string helper)
    {
        var packet = HelperErrors.Packet(context, helper);
        if (packet is not ISkbContext skb || packet.Kind == PacketContextKind.Xdp)
        {
            context.Fault($"{helper} needs an skb, and this run's packet is an XDP frame");
            return null!;
        }

        return skb;
    }

    public static int Length(IPacketContext packet) => (int)(packet.DataEnd - packet.Data);

    public static Span<byte> Bytes(IPacketContext packet) => new((void*)packet.Data, Length(packet));

    public static uint ReadField(ISkbContext skb, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(skb.Fields[offset..]);

    public static void WriteField(ISkbContext skb, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(skb.Fields[offset..], value);

    /// <summary>skb->protocol as a host-order EtherType (the field holds it in network order).</summary>
    public static ushort ProtocolOf(ISkbContext skb) => BinaryPrimitives.ReverseEndianness((ushort)ReadField(skb, Protocol));

    public static void SetProtocol(ISkbContext skb, ushort etherType) => WriteField(skb, Protocol, BinaryPrimitives.ReverseEndianness(etherType));

    /// <summary>Where the network header starts, from skb->data (0 for a socket filter, whose data starts there).</summary>
    public static int NetworkOffset(ISkbContext skb) => skb.Kind == PacketContextKind.SocketFilter ? 0 : EthernetHeaderLength;

    /// <summary>The kernel's bpf_try_make_writable: the first <paramref name="length"/> bytes exist.</summary>
    public static bool Writable(IPacketContext packet, ulong length) => length <= (ulong)Length(packet);
}

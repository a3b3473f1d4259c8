using System.Buffers.Binary;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// The tc helpers that grow, shrink or reshape a test-run skb: bpf_skb_pull_data, bpf_skb_change_tail/head,
/// bpf_skb_change_proto, bpf_skb_adjust_room, bpf_skb_vlan_push/pop, with the limits and error codes Linux 6.18
/// gives on a linear skb (measured: the longest skb the helpers make is 16064 bytes; inserted bytes read as zero).
/// </summary>
internal static class SkbResizeHelpers
{
    private const int Ipv4HeaderLength = 20, Ipv6HeaderLength = 40;
    private const ulong AdjustRoomNet = 0, AdjustRoomMac = 1;
    private const ulong FixedGso = 1, EncapL3Ipv4 = 1 << 1, EncapL3Ipv6 = 1 << 2, EncapL4Gre = 1 << 3, EncapL4Udp = 1 << 4,
        NoChecksumReset = 1 << 5, EncapL2Eth = 1 << 6, DecapL3Ipv4 = 1 << 7, DecapL3Ipv6 = 1 << 8, EncapL2LengthMask = 0xffUL << 56;
    private const ulong EncapFlags = EncapL3Ipv4 | EncapL3Ipv6 | EncapL4Gre | EncapL4Udp | EncapL2Eth | EncapL2LengthMask;
    private const ulong KnownAdjustFlags = FixedGso | EncapFlags | NoChecksumReset | DecapL3Ipv4 | DecapL3Ipv6;

    /// <summary>(skb, len): a linear skb holds everything; asking for more than skb->len is -ENOMEM.</summary>
    public static ulong PullData(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_skb_pull_data");
        return (uint)r2 > (uint)SkbAccess.Length(skb) ? HelperErrors.Result(Maps.Errno.ENOMEM) : 0;
    }

    /// <summary>(skb, new_len, flags): no flags; the length stays within [ETH_HLEN, 16064]; new bytes are zero.</summary>
    public static ulong ChangeTail(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_skb_change_tail");
        var length = (uint)r2;
        if (r3 != 0 || length > SkbAccess.MaxLength || length < SkbAccess.EthernetHeaderLength) return HelperErrors.Einval;
        return skb.SetLength((int)length) ? 0 : HelperErrors.Result(Maps.Errno.ENOMEM);
    }

    /// <summary>(skb, head_room, flags): opens zeroed room in front of the packet.</summary>
    public static ulong ChangeHead(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_skb_change_head");
        var room = (uint)r2;
        if (r3 != 0 || (ulong)SkbAccess.Length(skb) + room > SkbAccess.MaxLength) return HelperErrors.Einval;
        return skb.Resize(0, (int)room) ? 0 : HelperErrors.Result(Maps.Errno.ENOMEM);
    }

    /// <summary>(skb, proto, flags): IPv4 ↔ IPv6 only; the network header grows or shrinks by 20 bytes after the MAC header.</summary>
    public static ulong ChangeProto(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_skb_change_proto");
        if (r3 != 0) return HelperErrors.Einval;
        var to = BinaryPrimitives.ReverseEndianness((ushort)r2);
        var from = SkbAccess.ProtocolOf(skb);
        var offset = SkbAccess.NetworkOffset(skb);
        int delta = (from, to) switch
        {
            (SkbAccess.EtherTypeIpv4, SkbAccess.EtherTypeIpv6) => Ipv6HeaderLength - Ipv4HeaderLength,
            (SkbAccess.EtherTypeIpv6, SkbAccess.EtherTypeIpv4) => Ipv4HeaderLength - Ipv6HeaderLength,
            _ => 0,
        };
        if (delta == 0) return HelperErrors.Enotsupp;
        if (!skb.Resize(offset, delta)) return HelperErrors.Result(Maps.Errno.ENOMEM);
        SkbAccess.SetProtocol(skb, to);
        return 0;
    }

    /// <summary>
    /// (skb, len_diff, mode, flags): room after the MAC header (BPF_ADJ_ROOM_MAC) or after the fixed IP header
    /// (BPF_ADJ_ROOM_NET); an encapsulating grow marks the skb encapsulated, and a second one is -EALREADY.
    /// </summary>
    public static ulong AdjustRoom(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_skb_adjust_room");
        var difference = (int)(uint)r2;
        var magnitude = Math.Abs((long)difference);
        if (magnitude > 0xfff) return HelperErrors.Efault;
        if ((r4 & ~KnownAdjustFlags) != 0) return HelperErrors.Einval;
        if (r3 != AdjustRoomNet && r3 != AdjustRoomMac) return HelperErrors.Enotsupp;
        var networkHeader = SkbAccess.ProtocolOf(skb) switch
        {
            SkbAccess.EtherTypeIpv4 => Ipv4HeaderLength,
            SkbAccess.EtherTypeIpv6 => Ipv6HeaderLength,
            _ => 0,
        };
        if (networkHeader == 0) return HelperErrors.Enotsupp;
        var networkOffset = SkbAccess.NetworkOffset(skb);
        var offset = networkOffset + (r3 == AdjustRoomNet ? networkHeader : 0);
        var shrink = difference < 0;
        if (shrink && (r4 & EncapFlags) != 0) return HelperErrors.Einval;
        if (!shrink && (r4 & (DecapL3Ipv4 | DecapL3Ipv6)) != 0) return HelperErrors.Einval;
        if ((r4 & EncapL3Ipv4) != 0 && (r4 & EncapL3Ipv6) != 0) return HelperErrors.Einval;
        var networkLength = SkbAccess.Length(skb) - networkOffset;
        if (shrink && (magnitude >= networkLength || networkLength - magnitude < networkHeader)) return HelperErrors.Enotsupp;
        if (!shrink && SkbAccess.Length(skb) + magnitude > SkbAccess.MaxLength) return HelperErrors.Enotsupp;
        var encapsulates = !shrink && (r4 & EncapFlags) != 0;
        if (encapsulates && skb.State.Encapsulation) return HelperErrors.Result(Maps.Errno.EALREADY);
        if (!skb.Resize(offset, difference)) return HelperErrors.Result(Maps.Errno.ENOMEM);
        if (encapsulates) skb.State.Encapsulation = true;
        return 0;
    }

    /// <summary>
    /// (skb, vlan_proto, vlan_tci): the tag goes into the skb's accelerated tag (vlan_present/tci/proto); a tag already
    /// there moves into the packet after the MAC addresses first. Protocols other than 802.1Q/802.1AD mean 802.1Q.
    /// </summary>
    public static ulong VlanPush(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_skb_vlan_push");
        var proto = BinaryPrimitives.ReverseEndianness((ushort)r2);
        if (proto is not (SkbAccess.EtherType8021Q or SkbAccess.EtherType8021AD)) proto = SkbAccess.EtherType8021Q;
        if (SkbAccess.ReadField(skb, SkbAccess.VlanPresent) != 0)
        {
            var innerProto = BinaryPrimitives.ReverseEndianness((ushort)SkbAccess.ReadField(skb, SkbAccess.VlanProto));
            var innerTci = (ushort)SkbAccess.ReadField(skb, SkbAccess.VlanTci);
            if (!skb.Resize(2 * 6, SkbAccess.VlanHeaderLength)) return HelperErrors.Result(Maps.Errno.ENOMEM);
            var tag = SkbAccess.Bytes(skb).Slice(2 * 6, SkbAccess.VlanHeaderLength);
            BinaryPrimitives.WriteUInt16BigEndian(tag, innerProto);
            BinaryPrimitives.WriteUInt16BigEndian(tag[2..], innerTci);
            SkbAccess.SetProtocol(skb, innerProto);
        }

        SetTag(skb, proto, (ushort)r3);
        return 0;
    }

    /// <summary>
    /// (skb): clears the accelerated tag, or removes the outer tag from the packet when there is none; then the next
    /// tag in the packet, if any, becomes the accelerated tag (as the kernel's skb_vlan_pop).
    /// </summary>
    public static ulong VlanPop(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_skb_vlan_pop");
        if (SkbAccess.ReadField(skb, SkbAccess.VlanPresent) != 0)
        {
            SkbAccess.WriteField(skb, SkbAccess.VlanPresent, 0);
            SkbAccess.WriteField(skb, SkbAccess.VlanTci, 0);
            SkbAccess.WriteField(skb, SkbAccess.VlanProto, 0);
        }
        else
        {
            if (!IsVlan(SkbAccess.ProtocolOf(skb))) return 0;
            if (!TryPopPacketTag(skb, out _)) return HelperErrors.Einval;
        }

        var next = SkbAccess.ProtocolOf(skb);
        if (!IsVlan(next)) return 0;
        if (!TryPopPacketTag(skb, out var tci)) return HelperErrors.Einval;
        SetTag(skb, next, tci);
        return 0;
    }

    private static bool IsVlan(ushort etherType) => etherType is SkbAccess.EtherType8021Q or SkbAccess.EtherType8021AD;

    /// <summary>Removes the tag after the MAC addresses; skb->protocol becomes the EtherType it carried.</summary>
    private static bool TryPopPacketTag(ISkbContext skb, out ushort tci)
    {
        tci = 0;
        var bytes = SkbAccess.Bytes(skb);
        if (bytes.Length < SkbAccess.EthernetHeaderLength + SkbAccess.VlanHeaderLength) return false;
        tci = BinaryPrimitives.ReadUInt16BigEndian(bytes[14..]);
        var encapsulated = BinaryPrimitives.ReadUInt16BigEndian(bytes[16..]);
        if (!skb.Resize(2 * 6, -SkbAccess.VlanHeaderLength)) return false;
        if (encapsulated >= 0x0600) SkbAccess.SetProtocol(skb, encapsulated);
        return true;
    }

    private static void SetTag(ISkbContext skb, ushort proto, ushort tci)
    {
        SkbAccess.WriteField(skb, SkbAccess.VlanPresent, 1);
        SkbAccess.WriteField(skb, SkbAccess.VlanTci, tci);
        SkbAccess.WriteField(skb, SkbAccess.VlanProto, BinaryPrimitives.ReverseEndianness(proto));
    }
}

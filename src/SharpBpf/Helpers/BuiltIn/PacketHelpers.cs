using SharpBpf.Maps;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// The packet helpers over the run's <see cref="IPacketContext"/>: bpf_xdp_adjust_head / adjust_meta / adjust_tail,
/// bpf_xdp_load_bytes / store_bytes, bpf_skb_load_bytes / store_bytes, bpf_redirect and bpf_redirect_map, with
/// the bounds and error codes of net/core/filter.c for a linear (single-buffer) packet.
/// Does not: support multi-buffer (fragmented) XDP frames, recompute skb checksums, or check that a
/// redirect_map map is a DEVMAP/CPUMAP/XSKMAP (any map with 4-byte keys is looked up).
/// </summary>
internal sealed unsafe class PacketHelpers(HelperEnvironment environment)
{
    /// <summary>sizeof(struct xdp_frame): the start of the headroom the kernel keeps for itself.</summary>
    public const int XdpFrameSize = 40;

    /// <summary>ETH_HLEN: a packet never shrinks below an Ethernet header.</summary>
    public const int EthernetHeaderLength = 14;

    /// <summary>type_max(skb_shared_info.meta_len): metadata is at most 255 bytes (and a multiple of 4).</summary>
    public const int MaxMetadataLength = 255;

    public const ulong XdpAborted = 0;
    public const ulong XdpRedirect = 4;
    public const ulong TcActShot = 2;
    public const ulong TcActRedirect = 7;

    private const ulong FlagIngress = 1;
    private const ulong FlagBroadcast = 1 << 3;
    private const ulong FlagExcludeIngress = 1 << 4;
    private const ulong XdpActionMask = 3;
    private const ulong FlagRecomputeCsum = 1;
    private const ulong FlagInvalidateHash = 2;

    public ulong XdpAdjustHead(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var packet = HelperErrors.Packet(context, "bpf_xdp_adjust_head");
        var offset = (int)r2;
        var metaLength = packet.Data - packet.DataMeta;
        var dataStart = packet.BufferStart + XdpFrameSize + metaLength;
        var data = packet.Data + offset;
        if (data < dataStart || data > packet.DataEnd - EthernetHeaderLength)
        {
            return HelperErrors.Einval;
        }

        if (metaLength != 0)
        {
            Buffer.MemoryCopy((void*)packet.DataMeta, (void*)(packet.DataMeta + offset), metaLength, metaLength);
        }

        packet.DataMeta += offset;
        packet.Data = data;
        ExposePacket(context, packet);
        return 0;
    }

    public ulong XdpAdjustMeta(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var packet = HelperErrors.Packet(context, "bpf_xdp_adjust_meta");
        var meta = packet.DataMeta + (int)r2;
        var metaLength = (long)packet.Data - meta;
        if (!packet.SupportsMetadata)
        {
            return HelperErrors.Enotsupp;
        }

        if (meta < packet.BufferStart + XdpFrameSize || meta > packet.Data)
        {
            return HelperErrors.Einval;
        }

        if ((metaLength & 3) != 0 || metaLength > MaxMetadataLength)
        {
            return HelperErrors.Eacces;
        }

        packet.DataMeta = meta;
        ExposePacket(context, packet);
        return 0;
    }

    public ulong XdpAdjustTail(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var packet = HelperErrors.Packet(context, "bpf_xdp_adjust_tail");
        var offset = (int)r2;
        var dataEnd = packet.DataEnd + offset;
        if (dataEnd > packet.BufferEnd || dataEnd < packet.Data + EthernetHeaderLength)
        {
            return HelperErrors.Einval;
        }

        if (offset > 0)
        {
            // The kernel clears grown tailroom: it may hold stale data.
            new Span<byte>((void*)packet.DataEnd, offset).Clear();
        }

        packet.DataEnd = dataEnd;
        ExposePacket(context, packet);
        return 0;
    }

    /// <summary>
    /// The packet's new span <c>[data_meta, data_end)</c> becomes a region of the run: a runtime that registers the
    /// packet alone (a <c>PacketRunner</c>, which clears only what runs could touch) needs it for checked accesses
    /// to bytes an adjustment exposed; where the whole frame is a region it changes nothing.
    /// </summary>
    private static void ExposePacket(HelperCallContext context, IPacketContext packet) =>
        context.AddRegion(packet.DataMeta, packet.DataEnd - packet.DataMeta, MemoryAccess.ReadWrite);

    /// <summary>(xdp_md, offset, buf, len): -EFAULT past 0xffff, -EINVAL beyond the packet.</summary>
    public ulong XdpLoadBytes(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var packet = HelperErrors.Packet(context, "bpf_xdp_load_bytes");
        var buffer = context.GetArgumentMemory(3, r3, (uint)r4, MemoryAccess.Write);
        var error = XdpRange(packet, (uint)r2, (uint)r4);
        if (error != 0)
        {
            return error;
        }

        new ReadOnlySpan<byte>((void*)(packet.Data + (nint)(uint)r2), buffer.Length).CopyTo(buffer);
        return 0;
    }

    public ulong XdpStoreBytes(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var packet = HelperErrors.Packet(context, "bpf_xdp_store_bytes");
        var buffer = context.GetArgumentMemory(3, r3, (uint)r4, MemoryAccess.Read);
        var error = XdpRange(packet, (uint)r2, (uint)r4);
        if (error != 0)
        {
            return error;
        }

        buffer.CopyTo(new Span<byte>((void*)(packet.Data + (nint)(uint)r2), buffer.Length));
        return 0;
    }

    private static ulong XdpRange(IPacketContext packet, uint offset, uint length)
    {
        if (offset > 0xffff || length > 0xffff)
        {
            return HelperErrors.Efault;
        }

        return offset + length > (ulong)(packet.DataEnd - packet.Data) ? HelperErrors.Einval : 0;
    }

    /// <summary>(skb, offset, to, len): copies from skb->data + offset; on failure the buffer is zeroed and -EFAULT returned.</summary>
    public ulong SkbLoadBytes(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var packet = HelperErrors.Packet(context, "bpf_skb_load_bytes");
        var buffer = context.GetArgumentMemory(3, r3, (uint)r4, MemoryAccess.Write);
        var offset = (uint)r2;
        if (offset > int.MaxValue || (ulong)offset + (uint)buffer.Length > (ulong)(packet.DataEnd - packet.Data))
        {
            buffer.Clear();
            return HelperErrors.Efault;
        }

        new ReadOnlySpan<byte>((void*)(packet.Data + (nint)offset), buffer.Length).CopyTo(buffer);
        return 0;
    }

    /// <summary>(skb, offset, from, len, flags): flags beyond BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH give -EINVAL, a range past the packet -EFAULT.</summary>
    public ulong SkbStoreBytes(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var packet = HelperErrors.Packet(context, "bpf_skb_store_bytes");
        var buffer = context.GetArgumentMemory(3, r3, (uint)r4, MemoryAccess.Read);
        if ((r5 & ~(FlagRecomputeCsum | FlagInvalidateHash)) != 0)
        {
            return HelperErrors.Einval;
        }

        var offset = (uint)r2;
        if (offset > int.MaxValue || (ulong)offset + (uint)buffer.Length > (ulong)(packet.DataEnd - packet.Data))
        {
            return HelperErrors.Efault;
        }

        buffer.CopyTo(new Span<byte>((void*)(packet.Data + (nint)offset), buffer.Length));
        return 0;
    }

    /// <summary>
    /// XDP: (ifindex, flags) → XDP_REDIRECT, or XDP_ABORTED for any flag. tc: → TC_ACT_REDIRECT, or TC_ACT_SHOT for flags
    /// other than BPF_F_INGRESS. The target is recorded in <see cref="IPacketContext.Redirect"/>.
    /// </summary>
    public ulong Redirect(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var packet = HelperErrors.Packet(context, "bpf_redirect");
        switch (packet.Kind)
        {
            case PacketContextKind.Xdp:
                if (r2 != 0)
                {
                    return XdpAborted;
                }

                packet.Redirect = new PacketRedirect((uint)r1, 0, 0, r2);
                return XdpRedirect;
            case PacketContextKind.TrafficControl:
                if ((r2 & ~FlagIngress) != 0)
                {
                    return TcActShot;
                }

                packet.Redirect = new PacketRedirect((uint)r1, 0, 0, r2);
                return TcActRedirect;
            default:
                context.Fault("bpf_redirect is not available to socket filters");
                return 0;
        }
    }

    /// <summary>
    /// XDP (map, key, flags): unknown flags → XDP_ABORTED; a missing key → the low two bits of flags (an XDP action);
    /// found → XDP_REDIRECT with the target recorded.
    /// </summary>
    public ulong RedirectMap(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var map = HelperErrors.Map(context, environment, r1, "bpf_redirect_map");
        var packet = HelperErrors.Packet(context, "bpf_redirect_map");
        if (packet.Kind != PacketContextKind.Xdp)
        {
            context.Fault("bpf_redirect_map is only available to XDP programs");
        }

        // Only device maps can broadcast; for cpumap and xskmap those flags are unknown bits, so the redirect aborts.
        var allowedFlags = map.Type is MapType.Devmap or MapType.DevmapHash ? XdpActionMask | FlagBroadcast | FlagExcludeIngress : XdpActionMask;
        if ((r3 & ~allowedFlags) != 0)
        {
            return XdpAborted;
        }

        var key = (uint)r2;
        var value = map.KeySize == sizeof(uint) ? map.LookupElem((nint)(&key)) : 0;
        if (value == 0 && (r3 & FlagBroadcast) == 0)
        {
            return r3 & XdpActionMask;
        }

        var ifIndex = value != 0 && map.ValueSize >= sizeof(uint) ? *(uint*)value : 0;
        packet.Redirect = new PacketRedirect(ifIndex, map.Id, key, r3);
        return XdpRedirect;
    }
}

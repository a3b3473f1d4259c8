using System.Buffers.Binary;
using SharpBpf.Helpers;

namespace SharpBpf.Runtime.Contexts;

/// <summary>
/// One test-run packet: a page-sized frame in 32-bit addressable memory with the kernel's headroom and tailroom, and
/// the program's context struct (<c>xdp_md</c> or <c>__sk_buff</c>) whose data/data_end/data_meta fields always
/// hold the current packet bounds. Repeated runs reuse it, as the kernel's test run reuses its buffer.
/// </summary>
internal sealed unsafe class PacketContext : ISkbContext, IDisposable
{
    private readonly byte* _frame;
    private readonly int _frameSize;
    private readonly int _dataOffsetFieldsAt;
    private nint _data, _dataEnd, _dataMeta;

    // [_touchedLow, _touchedHigh): every frame byte a run may have made non-zero since the last reset — the packet as
    // copied in and every span [data_meta, data_end) took since (adjust_head/meta/tail move them, and a helper or the
    // program writes only inside them). Bytes outside it are still zero, so a reset clears only this.
    private nint _touchedLow, _touchedHigh;
    private bool _disposed;

    private PacketContext(PacketKind kind, ReadOnlySpan<byte> packet, int contextSize, int networkOffset)
    {
        Kind = kind;
        // An skb may grow up to the kernel's largest linear skb (bpf_skb_change_tail/head); an XDP frame is one page.
        _frameSize = kind == PacketKind.Xdp ? ContextLayouts.FrameSize : ContextLayouts.SkbFrameSize;
        _frame = LowMemory.Allocate((nuint)_frameSize);
        new Span<byte>(_frame, _frameSize).Clear();
        ContextSize = contextSize;
        ContextPointer = (nint)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)contextSize);

        _dataOffsetFieldsAt = kind == PacketKind.Xdp ? ContextLayouts.XdpData : ContextLayouts.SkbData;
        BufferStart = (nint)_frame;
        BufferEnd = (nint)(_frame + _frameSize - ContextLayouts.SharedInfoTailroom);
        var data = _frame + ContextLayouts.XdpHeadroom;
        packet.CopyTo(new Span<byte>(data, packet.Length));
        _data = (nint)(data + networkOffset);
        _dataEnd = (nint)(data + packet.Length);
        _dataMeta = _data;
        NetworkOffset = networkOffset;
        (_touchedLow, _touchedHigh) = ((nint)data, _dataEnd);
        WriteBounds();
    }

    public PacketKind Kind { get; }

    PacketContextKind IPacketContext.Kind => Kind switch
    {
        PacketKind.Xdp => PacketContextKind.Xdp,
        PacketKind.TrafficControl => PacketContextKind.TrafficControl,
        _ => PacketContextKind.SocketFilter,
    };

    /// <summary>XDP test runs support metadata in front of the packet; skb programs reach it through other means.</summary>
    public bool SupportsMetadata => Kind == PacketKind.Xdp;

    public PacketRedirect? Redirect { get; set; }
    public nint BufferStart { get; }
    public nint BufferEnd { get; }

    /// <summary>Bytes of the link-layer header that the program does not see (socket filters start at the network header).</summary>
    public int NetworkOffset { get; }

    /// <summary>The context struct the program's r1 points at.</summary>
    public nint ContextPointer { get; }

    public int ContextSize { get; }

    /// <summary>
    /// The skb's socket (<c>__sk_buff.sk</c>), a struct bpf_sock of <see cref="ContextLayouts.BpfSockSize"/> read-only
    /// bytes, or 0 for XDP. Linux's skb test run gives its skb a socket of its own (sk_alloc with AF_UNSPEC, never
    /// connected): state TCP_CLOSE (7), rx_queue_mapping -1, ports 0, and for an IPv4 or IPv6 packet that family with
    /// the packet's source as the socket's source and its destination as the socket's destination (measured on 6.18).
    /// </summary>
    public nint SocketPointer { get; private set; }

    public nint Data { get => _data; set { _data = value; WriteBounds(); } }
    public nint DataEnd { get => _dataEnd; set { _dataEnd = value; WriteBounds(); } }
    public nint DataMeta { get => _dataMeta; set { _dataMeta = value; WriteBounds(); } }

    public Span<byte> ContextBytes => new((void*)ContextPointer, ContextSize);

    Span<byte> ISkbContext.Fields => Kind == PacketKind.Xdp ? throw new InvalidOperationException("an XDP run has no __sk_buff") : ContextBytes;

    public SkbState State { get; } = new();

    public bool Resize(int offset, int count)
    {
        var length = (int)(_dataEnd - _data);
        if (offset < 0 || offset > length || (count < 0 && offset - count > length))
        {
            return false;
        }

        if (count >= 0)
        {
            // Room at the head first: move the whole packet towards the end when the headroom is too small.
            var headroom = (int)(_data - BufferStart);
            if (headroom < count)
            {
                var shift = count - headroom;
                if (_dataEnd + shift > BufferEnd)
                {
                    return false;
                }

                Buffer.MemoryCopy((void*)_data, (void*)(_data + shift), length, length);
                _data += shift;
                _dataEnd += shift;
                _dataMeta = _data;
            }

            var newData = _data - count;
            Buffer.MemoryCopy((void*)_data, (void*)newData, offset, offset);
            new Span<byte>((void*)(newData + offset), count).Clear();
            _data = newData;
        }
        else
        {
            var removed = -count;
            Buffer.MemoryCopy((void*)_data, (void*)(_data + removed), offset, offset);
            _data += removed;
        }

        _dataMeta = _data;
        WriteBounds();
        return true;
    }

    public bool SetLength(int length)
    {
        var end = _data + length;
        if (length < 0 || end > BufferEnd)
        {
            return false;
        }

        if (end > _dataEnd)
        {
            new Span<byte>((void*)_dataEnd, (int)(end - _dataEnd)).Clear();
        }

        _dataEnd = end;
        WriteBounds();
        return true;
    }

    public static PacketContext ForXdp(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> contextIn, string program)
    {
        RequireEthernet(packet, program);
        var maxData = ContextLayouts.FrameSize - ContextLayouts.XdpHeadroom - ContextLayouts.SharedInfoTailroom;
        if (packet.Length > maxData)
        {
            throw new ProgramInputException(program, $"packet of {packet.Length} bytes exceeds the {maxData}-byte linear frame");
        }

        var metaLength = 0;
        uint ingress = 1, rxQueue = 0;
        if (!contextIn.IsEmpty)
        {
            if (contextIn.Length > ContextLayouts.XdpMdSize)
            {
                throw new ProgramInputException(program, "ctx_in is larger than struct xdp_md");
            }

            Span<byte> md = stackalloc byte[ContextLayouts.XdpMdSize];
            contextIn.CopyTo(md);
            var data = BinaryPrimitives.ReadUInt32LittleEndian(md);
            var dataEnd = BinaryPrimitives.ReadUInt32LittleEndian(md[4..]);
            var dataMeta = BinaryPrimitives.ReadUInt32LittleEndian(md[8..]);
            if (dataMeta != 0 || dataEnd != packet.Length || data > dataEnd || BinaryPrimitives.ReadUInt32LittleEndian(md[20..]) != 0)
            {
                throw new ProgramInputException(program, "ctx_in: xdp_md needs data_meta 0, data_end = packet length, data <= data_end, egress_ifindex 0 (EINVAL)");
            }

            metaLength = (int)data;
            ingress = BinaryPrimitives.ReadUInt32LittleEndian(md[12..]);
            rxQueue = BinaryPrimitives.ReadUInt32LittleEndian(md[16..]);
        }

        var context = new PacketContext(PacketKind.Xdp, packet, ContextLayouts.XdpMdSize, 0);
        context._dataMeta = context._data;
        context._data += metaLength;
        context.WriteBounds();
        var bytes = context.ContextBytes;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[ContextLayouts.XdpIngressIfindex..], ingress);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[ContextLayouts.XdpRxQueueIndex..], rxQueue);
        return context;
    }

    /// <summary>
    /// Makes this XDP context hold <paramref name="packet"/> as a fresh test run's would: the frame zero (the kernel
    /// allocates it zeroed, and the last packet must leave nothing behind), the packet at the usual headroom, the
    /// xdp_md fields as a run without ctx_in sets them. What a stream of packets costs instead of a new frame each:
    /// only the bytes the last packet's runs could have touched (the touched span) are cleared, not the 4 KiB frame.
    /// </summary>
    public void ResetXdp(ReadOnlySpan<byte> packet, string program)
    {
        if (Kind != PacketKind.Xdp) throw new InvalidOperationException("only an XDP context is reset for a new packet");
        RequireEthernet(packet, program);
        var maxData = ContextLayouts.FrameSize - ContextLayouts.XdpHeadroom - ContextLayouts.SharedInfoTailroom;
        if (packet.Length > maxData)
        {
            throw new ProgramInputException(program, $"packet of {packet.Length} bytes exceeds the {maxData}-byte linear frame");
        }

        var data = _frame + ContextLayouts.XdpHeadroom;
        var end = data + packet.Length;
        // The new packet overwrites [data, end): clear only what of the touched span lies outside it.
        ClearOutside(_touchedLow, _touchedHigh, (nint)data, (nint)end);
        packet.CopyTo(new Span<byte>(data, packet.Length));
        _data = (nint)data;
        _dataEnd = (nint)end;
        _dataMeta = _data;
        (_touchedLow, _touchedHigh) = (_data, _dataEnd);
        Redirect = null;
        var bytes = ContextBytes;
        bytes.Clear();
        WriteBounds();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[ContextLayouts.XdpIngressIfindex..], 1);
    }

    private static void ClearOutside(nint low, nint high, nint keepLow, nint keepHigh)
    {
        if (low < keepLow)
        {
            new Span<byte>((void*)low, (int)(Math.Min(high, keepLow) - low)).Clear();
        }

        if (high > keepHigh)
        {
            var from = Math.Max(low, keepHigh);
            new Span<byte>((void*)from, (int)(high - from)).Clear();
        }
    }

    /// <summary>The visible packet (what data_out holds for XDP), valid until the context changes.</summary>
    public ReadOnlySpan<byte> Visible => new((void*)_data, (int)(_dataEnd - _data));

    public static PacketContext ForSkb(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> contextIn, bool socketFilter, string program)
    {
        RequireEthernet(packet, program);
        RequireNetworkHeader(packet, program);
        var context = new PacketContext(socketFilter ? PacketKind.SocketFilter : PacketKind.TrafficControl, packet,
            ContextLayouts.SkBuffSize, socketFilter ? ContextLayouts.EthernetHeaderSize : 0);
        var skb = context.ContextBytes;
        if (!contextIn.IsEmpty)
        {
            if (contextIn.Length > ContextLayouts.SkBuffSize)
            {
                throw new ProgramInputException(program, "ctx_in is larger than struct __sk_buff");
            }

            // The kernel accepts only the fields it copies into the skb; anything else set is EINVAL.
            Span<byte> given = stackalloc byte[ContextLayouts.SkBuffSize];
            contextIn.CopyTo(given);
            foreach (var (offset, size) in SkbInputFields)
            {
                given.Slice(offset, size).CopyTo(skb[offset..]);
                given.Slice(offset, size).Clear();
            }

            if (given.IndexOfAnyExcept((byte)0) >= 0)
            {
                throw new ProgramInputException(program, "ctx_in: __sk_buff sets a field the kernel's test run does not accept (EINVAL)");
            }
        }

        context.SocketPointer = context.NewTestRunSocket(packet);
        var length = packet.Length - context.NetworkOffset;
        BinaryPrimitives.WriteUInt32LittleEndian(skb[ContextLayouts.SkbLen..], (uint)length);
        packet.Slice(12, 2).CopyTo(skb[ContextLayouts.SkbProtocol..]);
        BinaryPrimitives.WriteUInt32LittleEndian(skb[ContextLayouts.SkbPktType..], PacketType(packet[..6]));
        BinaryPrimitives.WriteUInt32LittleEndian(skb[ContextLayouts.SkbIfindex..], 1);
        if (BinaryPrimitives.ReadUInt32LittleEndian(skb[ContextLayouts.SkbWireLen..]) == 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(skb[ContextLayouts.SkbWireLen..], (uint)length);
        }

        return context;
    }

    /// <summary>The fields of <c>__sk_buff</c> the kernel's test run takes from ctx_in and gives back in ctx_out.</summary>
    public static readonly (int Offset, int Size)[] SkbInputFields =
    [
        (ContextLayouts.SkbMark, 4), (ContextLayouts.SkbPriority, 4), (ContextLayouts.SkbIngressIfindex, 4),
        (ContextLayouts.SkbIfindex, 4), (ContextLayouts.SkbCb, ContextLayouts.SkbCbSize), (ContextLayouts.SkbTstamp, 8),
        (ContextLayouts.SkbWireLen, 4), (ContextLayouts.SkbGsoSegs, 4), (ContextLayouts.SkbGsoSize, 4),
        (ContextLayouts.SkbHwtstamp, 8),
    ];

    /// <summary>The packet as the kernel's test run returns it in data_out.</summary>
    public byte[] DataOut()
    {
        var visible = new ReadOnlySpan<byte>((void*)_data, (int)(_dataEnd - _data));
        var output = new byte[NetworkOffset + visible.Length];
        visible.CopyTo(output.AsSpan(NetworkOffset));
        return output;
    }

    /// <summary>The context as the kernel's test run returns it in ctx_out.</summary>
    public byte[] ContextOut()
    {
        var result = new byte[ContextSize];
        var bytes = ContextBytes;
        if (Kind == PacketKind.Xdp)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(result, (uint)(_data - _dataMeta));
            BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)(_dataEnd - _dataMeta));
            bytes.Slice(ContextLayouts.XdpIngressIfindex, 8).CopyTo(result.AsSpan(ContextLayouts.XdpIngressIfindex));
            return result;
        }

        foreach (var (offset, size) in SkbInputFields)
        {
            bytes.Slice(offset, size).CopyTo(result.AsSpan(offset));
        }

        return result;
    }

    private nint NewTestRunSocket(ReadOnlySpan<byte> frame)
    {
        var socket = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(ContextLayouts.BpfSockSize);
        var fields = new Span<byte>(socket, ContextLayouts.BpfSockSize);
        var network = frame[ContextLayouts.EthernetHeaderSize..];
        switch ((frame[12], frame[13]))
        {
            case (0x08, 0x00):
                BinaryPrimitives.WriteUInt32LittleEndian(fields[ContextLayouts.BpfSockFamily..], 2);
                network.Slice(12, 4).CopyTo(fields[ContextLayouts.BpfSockSrcIp4..]);
                network.Slice(16, 4).CopyTo(fields[ContextLayouts.BpfSockDstIp4..]);
                break;
            case (0x86, 0xdd):
                BinaryPrimitives.WriteUInt32LittleEndian(fields[ContextLayouts.BpfSockFamily..], 10);
                network.Slice(8, 16).CopyTo(fields[ContextLayouts.BpfSockSrcIp6..]);
                network.Slice(24, 16).CopyTo(fields[ContextLayouts.BpfSockDstIp6..]);
                break;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(fields[ContextLayouts.BpfSockState..], 7);
        BinaryPrimitives.WriteInt32LittleEndian(fields[ContextLayouts.BpfSockRxQueueMapping..], -1);
        BinaryPrimitives.WriteUInt64LittleEndian(ContextBytes[ContextLayouts.SkbSk..], (ulong)socket);
        return (nint)socket;
    }

    private void WriteBounds()
    {
        _touchedLow = Math.Min(_touchedLow, Math.Min(_dataMeta, _data));
        _touchedHigh = Math.Max(_touchedHigh, _dataEnd);
        var bytes = ContextBytes;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[_dataOffsetFieldsAt..], (uint)_data);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[(_dataOffsetFieldsAt + 4)..], (uint)_dataEnd);
        var metaField = Kind == PacketKind.Xdp ? ContextLayouts.XdpDataMeta : ContextLayouts.SkbDataMeta;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[metaField..], (uint)_dataMeta);
        if (Kind != PacketKind.Xdp)
        {
            // skb->len follows every change the helpers make.
            BinaryPrimitives.WriteUInt32LittleEndian(bytes[ContextLayouts.SkbLen..], (uint)(_dataEnd - _data));
        }
    }

    // eth_type_trans on the test run's loopback device (address 00:00:00:00:00:00).
    private static uint PacketType(ReadOnlySpan<byte> destination) =>
        destination.IndexOfAnyExcept((byte)0xff) < 0 ? 1u
        : (destination[0] & 1) != 0 ? 2u
        : destination.IndexOfAnyExcept((byte)0) < 0 ? 0u
        : 3u;

    private static void RequireEthernet(ReadOnlySpan<byte> packet, string program)
    {
        if (packet.Length < ContextLayouts.EthernetHeaderSize)
        {
            throw new ProgramInputException(program, $"data_in of {packet.Length} bytes is shorter than an Ethernet header (EINVAL)");
        }
    }

    // Measured on Linux 6.18: an skb test run refuses IPv4 with less than a 20-byte header and IPv6 with less than 40.
    private static void RequireNetworkHeader(ReadOnlySpan<byte> packet, string program)
    {
        var networkBytes = packet.Length - ContextLayouts.EthernetHeaderSize;
        var minimum = (packet[12], packet[13]) switch
        {
            (0x08, 0x00) => 20,
            (0x86, 0xdd) => 40,
            _ => 0,
        };
        if (networkBytes < minimum)
        {
            throw new ProgramInputException(program, $"data_in holds {networkBytes} bytes of a {minimum}-byte network header (EINVAL)");
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        LowMemory.Free(_frame, (nuint)_frameSize);
        System.Runtime.InteropServices.NativeMemory.Free((void*)ContextPointer);
        System.Runtime.InteropServices.NativeMemory.Free((void*)SocketPointer);
    }
}

internal enum PacketKind
{
    Xdp,
    TrafficControl,
    SocketFilter,
}

namespace SharpBpf.Runtime.Contexts;

/// <summary>Offsets of the UAPI context structs (<c>include/uapi/linux/bpf.h</c>) that SharpBpf fills in.</summary>
internal static class ContextLayouts
{
    public const int XdpMdSize = 24;
    public const int XdpData = 0, XdpDataEnd = 4, XdpDataMeta = 8, XdpIngressIfindex = 12, XdpRxQueueIndex = 16, XdpEgressIfindex = 20;

    public const int SkBuffSize = 192;
    public const int SkbLen = 0, SkbPktType = 4, SkbMark = 8, SkbQueueMapping = 12, SkbProtocol = 16, SkbPriority = 32;
    public const int SkbVlanPresent = 20, SkbVlanTci = 24, SkbVlanProto = 28, SkbTstampType = 180;
    public const int SkbIngressIfindex = 36, SkbIfindex = 40, SkbTcIndex = 44, SkbCb = 48, SkbCbSize = 20, SkbHash = 68;
    public const int SkbTcClassid = 72, SkbData = 76, SkbDataEnd = 80, SkbDataMeta = 140, SkbTstamp = 152, SkbWireLen = 160;
    public const int SkbGsoSegs = 164, SkbSk = 168, SkbGsoSize = 176, SkbHwtstamp = 184;

    /// <summary>struct bpf_sock: its size, and the fields the test run's socket does not leave zero.</summary>
    public const int BpfSockSize = 80, BpfSockFamily = 4, BpfSockSrcIp4 = 24, BpfSockSrcIp6 = 28, BpfSockDstIp4 = 52;
    public const int BpfSockDstIp6 = 56, BpfSockState = 72, BpfSockRxQueueMapping = 76;

    /// <summary>The kernel's <c>XDP_PACKET_HEADROOM</c>.</summary>
    public const int XdpHeadroom = 256;

    /// <summary>Room the kernel keeps after a frame for <c>skb_shared_info</c> (<c>SKB_DATA_ALIGN</c> of it on x86-64).</summary>
    public const int SharedInfoTailroom = 320;

    /// <summary>The test run's linear frame: one page.</summary>
    public const int FrameSize = 4096;

    /// <summary>
    /// An skb test run's buffer: the headroom, the largest linear skb the kernel lets bpf_skb_change_tail/head make
    /// (16064 bytes, measured on 6.18), and the tailroom.
    /// </summary>
    public const int SkbFrameSize = XdpHeadroom + MaxSkbLength + SharedInfoTailroom + 64;

    /// <summary>The longest packet bpf_skb_change_tail / change_head produce on a test-run skb (measured on Linux 6.18).</summary>
    public const int MaxSkbLength = 16064;

    public const int EthernetHeaderSize = 14;
}

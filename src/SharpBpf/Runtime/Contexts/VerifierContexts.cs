using System.Collections.Immutable;
using SharpBpf.Loader;
using SharpBpf.Verifier;
using static SharpBpf.Runtime.Contexts.ContextLayouts;
using static SharpBpf.Verifier.ContextFieldAccess;

namespace SharpBpf.Runtime.Contexts;

/// <summary>
/// What the verifier may let a program of each type do with its context: which fields hold packet pointers, which
/// fields it may load and store and with which sizes, and whether it may write the packet. Measured on Linux 6.18.44
/// as root, one load and one store of each size at each offset (the kernel's is_valid_access callbacks of
/// xdp_md and __sk_buff, and of the other networking types' contexts, per attach type where it matters: the tables in
/// VerifierContexts.Sockets.cs); a type not listed here keeps its context fields unchecked.
/// </summary>
internal static partial class VerifierContexts
{
    private const int SkbCbEnd = SkbCb + SkbCbSize;
    private const int SkbVlanPresent = 20, SkbVlanTci = 24, SkbVlanProto = 28, SkbNapiId = 84, SkbFamily = 88;
    private const int SkbRemoteIp4 = 92, SkbLocalIp4 = 96, SkbRemoteIp6 = 100, SkbLocalIp6 = 116, SkbRemotePort = 132;
    private const int SkbLocalPort = 136, SkbSk = 168, SkbTstampType = 180;

    public static ContextLayout For(ProgramType type, AttachType? attach = null) => type switch
    {
        ProgramType.Xdp => new ContextLayout(XdpMdSize, XdpData, XdpDataEnd, XdpDataMeta) { Fields = Xdp },
        ProgramType.SchedCls or ProgramType.SchedAct => Skb(Tc, writable: true),
        ProgramType.SocketFilter => Skb(SocketFilter, writable: false),
        ProgramType.CgroupSkb => Skb(CgroupSkb, writable: false) with { RunsOnPacket = false },
        ProgramType.SkSkb => SkbWithoutMeta(SkSkbFields, writable: true),
        ProgramType.LwtXmit => SkbWithoutMeta(LwtFields, writable: true),
        ProgramType.LwtIn or ProgramType.LwtOut or ProgramType.LwtSeg6Local => SkbWithoutMeta(LwtFields, writable: false),
        ProgramType.FlowDissector => SkbWithoutMeta(FlowDissector, writable: false),
        ProgramType.Kprobe => Unpacketed(PtRegsSize, [new ContextField(0, PtRegsSize, AlignedPart)]),
        ProgramType.Tracepoint => Unpacketed(MaxTraceRecordSize, [new ContextField(8, MaxTraceRecordSize - 8, AlignedPart)]),
        ProgramType.RawTracepoint => Unpacketed(RawTracepointArgsSize, [new ContextField(0, RawTracepointArgsSize, AlignedPart)]),
        ProgramType.PerfEvent => Unpacketed(PerfEventDataSize, PerfEvent),
        ProgramType.Syscall => Unpacketed(SyscallContextLimit, [new ContextField(0, SyscallContextLimit, AlignedPart, AlignedPart)]),
        _ => SocketContext(type, attach),
    };

    // Tracing contexts (kprobe_prog_is_valid_access, tp_prog_is_valid_access, raw_tp's bpf_tracing_ctx_access,
    // pe_prog_is_valid_access, syscall_prog_is_valid_access; measured: Data/generated rt_*_ctx_*): read-only except a
    // syscall program's buffer, every access aligned to its size, every field a number. Their fields never prove an
    // access: the memory behind them is the host's event (a tracepoint record is shorter than the bound, a syscall
    // program's buffer is as long as its caller made it), so such accesses keep their run-time check.
    private const int PtRegsSize = 168, MaxTraceRecordSize = 8192, RawTracepointArgsSize = 12 * 8, SyscallContextLimit = 65535;
    private const int PerfEventDataSize = PtRegsSize + 16;

    private static ContextLayout Unpacketed(int size, ImmutableArray<ContextField> fields) =>
        new(size, null, null, null) { Fields = fields, PacketWritable = false, FieldsProveBounds = false };

    /// <summary>bpf_perf_event_data: the registers as whole 8-byte words, sample_period and addr also narrower.</summary>
    private static readonly ImmutableArray<ContextField> PerfEvent =
    [
        .. Enumerable.Range(0, PtRegsSize / 8).Select(word => new ContextField(word * 8, 8, Whole)),
        new ContextField(PtRegsSize, 8, AlignedPart), new ContextField(PtRegsSize + 8, 8, AlignedPart),
    ];

    private static ContextLayout Skb(ImmutableArray<ContextField> fields, bool writable) =>
        new(SkBuffSize, SkbData, SkbDataEnd, SkbDataMeta) { Fields = fields, PacketWritable = writable };

    private static ContextLayout SkbWithoutMeta(ImmutableArray<ContextField> fields, bool writable) =>
        new(SkBuffSize, SkbData, SkbDataEnd, null) { Fields = fields, PacketWritable = writable, RunsOnPacket = false };

    private static readonly ImmutableArray<ContextField> Xdp =
    [
        Whole4(XdpData), Whole4(XdpDataEnd), Whole4(XdpDataMeta), Whole4(XdpIngressIfindex), Whole4(XdpRxQueueIndex),
    ];

    /// <summary>The fields every __sk_buff program reads narrowly, and cb[] it may read and write at any aligned size.</summary>
    private static IEnumerable<ContextField> SkbCommon(params int[] alsoReadable)
    {
        foreach (var offset in new[] { SkbLen, SkbPktType, SkbMark, SkbQueueMapping, SkbProtocol, SkbVlanPresent, SkbVlanTci,
                     SkbVlanProto, SkbPriority, SkbIngressIfindex, SkbIfindex, SkbTcIndex, SkbHash, SkbNapiId, SkbGsoSegs, SkbGsoSize }
                     .Concat(alsoReadable))
        {
            yield return Narrow4(offset);
        }

        yield return new ContextField(SkbCb, SkbCbEnd - SkbCb, AlignedPart, AlignedPart);
        yield return new ContextField(SkbSk, 8, Whole, Socket: ValueKind.SockCommonOrNull);
    }

    private static readonly ImmutableArray<ContextField> Tc =
    [
        .. SkbCommon(SkbTcClassid, SkbWireLen),
        Writable4(SkbMark), Writable4(SkbQueueMapping), Writable4(SkbPriority), Writable4(SkbTcIndex), Writable4(SkbTcClassid),
        Whole4(SkbData), Whole4(SkbDataEnd), Whole4(SkbDataMeta),
        new ContextField(SkbTstamp, 8, Whole, Whole), new ContextField(SkbTstampType, 1, Whole), new ContextField(SkbHwtstamp, 8, Whole),
    ];

    private static readonly ImmutableArray<ContextField> SocketFilter = [.. SkbCommon()];

    private static readonly ImmutableArray<ContextField> CgroupSkb =
    [
        .. SkbCommon(SkbFamily, SkbRemotePort, SkbLocalPort),
        Writable4(SkbMark), Writable4(SkbPriority),
        Whole4(SkbData), Whole4(SkbDataEnd),
        Whole4(SkbRemoteIp4), Whole4(SkbLocalIp4),
        Whole4(SkbRemoteIp6), Whole4(SkbRemoteIp6 + 4), Whole4(SkbRemoteIp6 + 8), Whole4(SkbRemoteIp6 + 12),
        Whole4(SkbLocalIp6), Whole4(SkbLocalIp6 + 4), Whole4(SkbLocalIp6 + 8), Whole4(SkbLocalIp6 + 12),
        new ContextField(SkbTstamp, 8, Whole, Whole), new ContextField(SkbHwtstamp, 8, Whole),
    ];

    private static ContextField Whole4(int offset) => new(offset, 4, Whole);

    private static ContextField Narrow4(int offset) => new(offset, 4, AlignedPart);

    /// <summary>A field stored only as a whole 4 bytes (its loads are allowed by its narrow entry).</summary>
    private static ContextField Writable4(int offset) => new(offset, 4, None, Whole);
}

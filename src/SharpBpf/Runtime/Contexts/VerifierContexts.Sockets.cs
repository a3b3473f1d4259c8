using System.Collections.Immutable;
using SharpBpf.Loader;
using SharpBpf.Verifier;
using static SharpBpf.Verifier.ContextFieldAccess;

namespace SharpBpf.Runtime.Contexts;

/// <summary>
/// The contexts of the socket-level and other networking program types (sk_msg_md, bpf_sock_ops, bpf_sock_addr,
/// bpf_sock, sk_reuseport_md, bpf_sk_lookup, bpf_sockopt) and the __sk_buff field lists of sk_skb, lwt and the flow
/// dissector. Measured on Linux 6.18 as root: a load and a store of every size at every offset, per attach type
/// (bpf_sock_addr's fields differ between IPv4, IPv6, sendmsg and unix attach types; bpf_sock's between sock_create
/// and post_bind). Socket fields load as the kernel types them (measured: Data/generated rt3_*_sk_*); sk_reuseport_md's sockets and
/// bpf_flow_dissector's flow_keys are pointers this verifier does not model.
/// </summary>
internal static partial class VerifierContexts
{
    private static ContextLayout SocketContext(ProgramType type, AttachType? attach) => type switch
    {
        ProgramType.SkMsg => new ContextLayout(80, 0, 8, null) { Fields = SkMsg, RunsOnPacket = false },
        ProgramType.SockOps => new ContextLayout(224, 192, 200, null) { Fields = SockOps, PacketWritable = false, RunsOnPacket = false },
        ProgramType.CgroupSockAddr when SockAddrFields(attach) is { IsDefault: false } fields => Fields(72, fields),
        ProgramType.CgroupSock => Fields(80, attach switch
        {
            AttachType.CgroupInet4PostBind => SockPostBind4,
            AttachType.CgroupInet6PostBind => SockPostBind6,
            _ => Sock,
        }),
        ProgramType.SkReuseport => new ContextLayout(56, 0, 8, null) { Fields = SkReuseport, PacketWritable = false, RunsOnPacket = false },
        ProgramType.SkLookup => Fields(72, SkLookup),
        ProgramType.CgroupSockopt => new ContextLayout(40, 8, 16, null)
        {
            Fields = attach == AttachType.CgroupGetsockopt ? GetSockopt : SetSockopt, RunsOnPacket = false,
        },
        _ => ContextLayout.Opaque(0),
    };

    private static ContextLayout Fields(int size, ImmutableArray<ContextField> fields) => ContextLayout.Opaque(size) with { Fields = fields };

    private static ImmutableArray<ContextField> SockAddrFields(AttachType? attach) => attach switch
    {
        AttachType.CgroupInet4Bind or AttachType.CgroupInet4Connect or AttachType.CgroupUdp4Recvmsg or AttachType.CgroupInet4Getpeername
            or AttachType.CgroupInet4Getsockname => SockAddr4,
        AttachType.CgroupInet6Bind or AttachType.CgroupInet6Connect or AttachType.CgroupUdp6Recvmsg or AttachType.CgroupInet6Getpeername
            or AttachType.CgroupInet6Getsockname => SockAddr6,
        AttachType.CgroupUdp4Sendmsg => SockAddrSendmsg4,
        AttachType.CgroupUdp6Sendmsg => SockAddrSendmsg6,
        // Measured: every unix attach type (connect, sendmsg, recvmsg, getpeername, getsockname) has the same fields.
        AttachType.CgroupUnixConnect or AttachType.CgroupUnixSendmsg or AttachType.CgroupUnixRecvmsg or AttachType.CgroupUnixGetpeername
            or AttachType.CgroupUnixGetsockname => SockAddrUnix,
        _ => default,
    };

    private static ContextField R(int offset, int size, ContextFieldAccess access) => new(offset, size, access);

    private static ContextField W(int offset, int size, ContextFieldAccess access) => new(offset, size, None, access);

    private static ContextField Socket(int offset, ValueKind kind = ValueKind.SockCommonOrNull) => new(offset, 8, Whole, Socket: kind);

    private static ContextField Opaque(int offset) => new(offset, 8, Whole, HoldsUnmodelledPointer: true);

    /// <summary>Consecutive 4-byte fields, each loaded only whole.</summary>
    private static IEnumerable<ContextField> Words(int from, int to)
    {
        for (int offset = from; offset < to; offset += 4)
        {
            yield return new ContextField(offset, 4, Whole);
        }
    }

    private static readonly ImmutableArray<ContextField> SkMsg =
    [
        R(0, 8, Whole), R(8, 8, Whole), .. Words(16, 72), Socket(72, ValueKind.Socket),
    ];

    private static readonly ImmutableArray<ContextField> SockOps =
    [
        .. Words(0, 168), R(168, 8, Whole), R(176, 8, Whole), Socket(184, ValueKind.SocketOrNull), R(192, 8, Whole), R(200, 8, Whole),
        R(208, 4, Whole), R(212, 4, Prefix), R(216, 8, Whole), W(4, 4, Whole), W(164, 4, Whole),
    ];

    private static readonly ImmutableArray<ContextField> SockAddr4 =
    [
        R(0, 4, Whole), R(4, 4, AlignedPart), R(24, 4, AlignedPart), .. Words(28, 40), Socket(64, ValueKind.Socket),
        W(4, 4, Whole), W(24, 4, Whole),
    ];

    private static readonly ImmutableArray<ContextField> SockAddr6 =
    [
        R(0, 4, Whole), R(8, 20, AlignedPart), .. Words(28, 40), Socket(64, ValueKind.Socket), W(8, 20, AlignedWords),
    ];

    private static readonly ImmutableArray<ContextField> SockAddrSendmsg4 =
    [
        R(0, 4, Whole), R(4, 4, AlignedPart), R(24, 4, AlignedPart), .. Words(28, 40), R(40, 4, AlignedPart),
        Socket(64, ValueKind.Socket), W(4, 4, Whole), W(24, 4, Whole), W(40, 4, Whole),
    ];

    private static readonly ImmutableArray<ContextField> SockAddrSendmsg6 =
    [
        R(0, 4, Whole), R(8, 20, AlignedPart), .. Words(28, 40), R(44, 16, AlignedPart), Socket(64, ValueKind.Socket),
        W(8, 20, AlignedWords), W(44, 16, AlignedWords),
    ];

    private static readonly ImmutableArray<ContextField> SockAddrUnix =
    [
        R(0, 4, Whole), R(24, 4, AlignedPart), .. Words(28, 40), Socket(64, ValueKind.Socket), W(24, 4, Whole),
    ];

    private static readonly ImmutableArray<ContextField> FlowDissector =
    [
        R(76, 4, Whole), R(80, 4, Whole), Opaque(144),
    ];

    private static readonly ImmutableArray<ContextField> SkSkbFields =
    [
        R(0, 4, AlignedPart), R(4, 4, AlignedPart), R(12, 8, AlignedPart), R(20, 8, AlignedPart),
        R(28, 8, AlignedPart), R(36, 8, AlignedPart), R(44, 20, AlignedPart), R(64, 4, AlignedPart),
        R(68, 4, AlignedPart), R(76, 4, Whole), R(80, 4, Whole), R(84, 8, AlignedPart), .. Words(92, 132),
        R(132, 8, AlignedPart), R(164, 4, AlignedPart), Socket(168), R(176, 4, AlignedPart), W(32, 4, Whole),
        W(44, 4, Whole),
    ];

    private static readonly ImmutableArray<ContextField> LwtFields =
    [
        R(0, 4, AlignedPart), R(4, 8, AlignedPart), R(12, 8, AlignedPart), R(20, 8, AlignedPart),
        R(28, 8, AlignedPart), R(36, 8, AlignedPart), R(44, 20, AlignedPart), R(64, 4, AlignedPart),
        R(68, 4, AlignedPart), R(76, 4, Whole), R(80, 4, Whole), R(84, 4, AlignedPart), R(164, 4, AlignedPart),
        Socket(168), R(176, 4, AlignedPart), W(8, 4, Whole), W(32, 4, Whole), W(48, 20, AlignedPart),
    ];

    private static readonly ImmutableArray<ContextField> Sock =
    [
        R(0, 4, Whole), R(4, 4, Prefix), R(8, 4, Prefix), R(12, 4, Prefix), R(16, 4, Whole), R(20, 4, Whole),
        R(48, 2, AlignedPart), R(48, 4, Whole), R(52, 8, AlignedPart), R(60, 8, AlignedPart), R(68, 4, AlignedPart),
        R(72, 4, Prefix), R(76, 4, Prefix), W(0, 4, Whole), W(16, 4, Whole), W(20, 4, Whole),
    ];

    private static readonly ImmutableArray<ContextField> SockPostBind4 =
    [
        R(4, 4, Prefix), R(8, 4, Prefix), R(12, 4, Prefix), R(24, 4, AlignedPart), R(44, 4, Prefix),
        R(48, 2, AlignedPart), R(48, 4, Whole), R(52, 8, AlignedPart), R(60, 8, AlignedPart), R(68, 4, AlignedPart),
        R(72, 4, Prefix), R(76, 4, Prefix),
    ];

    private static readonly ImmutableArray<ContextField> SockPostBind6 =
    [
        R(4, 4, Prefix), R(8, 4, Prefix), R(12, 4, Prefix), R(28, 8, AlignedPart), R(36, 8, AlignedPart),
        R(44, 4, Prefix), R(48, 2, AlignedPart), R(48, 4, Whole), R(52, 8, AlignedPart), R(60, 8, AlignedPart),
        R(68, 4, AlignedPart), R(72, 4, Prefix), R(76, 4, Prefix),
    ];

    private static readonly ImmutableArray<ContextField> SkReuseport =
    [
        R(0, 8, Whole), R(8, 8, Whole), R(16, 4, AlignedPart), R(20, 8, AlignedHalves), R(24, 4, AlignedPart),
        R(28, 4, AlignedPart), R(32, 4, Whole), Opaque(40), Opaque(48),
    ];

    private static readonly ImmutableArray<ContextField> SkLookup =
    [
        Socket(0, ValueKind.SocketOrNull), R(8, 4, AlignedPart), R(12, 8, AlignedPart), R(20, 8, AlignedPart), R(28, 8, AlignedPart),
        R(36, 8, AlignedPart), R(44, 8, AlignedPart), R(52, 8, AlignedPart), R(60, 8, AlignedPart),
    ];

    private static readonly ImmutableArray<ContextField> GetSockopt =
    [
        Socket(0, ValueKind.Socket), R(8, 8, Whole), R(16, 8, Whole), .. Words(24, 40), W(32, 4, Whole), W(36, 4, Whole),
    ];

    private static readonly ImmutableArray<ContextField> SetSockopt =
    [
        Socket(0, ValueKind.Socket), R(8, 8, Whole), R(16, 8, Whole), .. Words(24, 36), W(24, 4, Whole), W(28, 8, AlignedWords),
    ];
}

using System.Collections.Immutable;
using SharpBpf.Helpers;

namespace SharpBpf.Verifier;

/// <summary>
/// Socket references, as Linux 6.18 tracks them with the ring buffer's model (Analysis.References.cs):
/// bpf_sk_lookup_tcp / bpf_sk_lookup_udp return a sock_or_null and bpf_skc_lookup_tcp a sock_common_or_null, each
/// holding a new reference; bpf_sk_release releases it. A socket is read-only, its fields readable as the kernel's
/// bpf_sock_is_valid_access / bpf_sock_common_is_valid_access allow; <c>__sk_buff.sk</c> is a sock_common_or_null the
/// program does not own.
/// </summary>
internal sealed partial class Analysis
{
    private const int SkLookupTcp = 84, SkLookupUdp = 85, SkRelease = 86, SkcLookupTcp = 99;

    /// <summary>The lookups' arguments: ctx, the tuple and its size, the network namespace and the flags.</summary>
    private static readonly ImmutableArray<HelperArgument> SocketLookupArguments =
        [HelperArgKind.Context, HelperArgKind.ReadableMemory, HelperArgKind.ConstSize, HelperArgKind.Anything, HelperArgKind.Anything];

    /// <summary>The register types ARG_PTR_TO_BTF_ID_SOCK_COMMON accepts, as check_reg_type lists them.</summary>
    private const string SockCommonTypes = "sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_";

    /// <summary>Judges a call of a socket lookup or release (<paramref name="handled"/>); not for any other helper.</summary>
    private bool SocketHelperCall(int pc, int id, VerifierState state, out bool handled)
    {
        handled = true;
        switch (id)
        {
            case SkLookupTcp or SkLookupUdp or SkcLookupTcp:
                // The kernel's tc and XDP lookups take the tuple from the packet (pkt_access).
                var meta = new CallMeta { PacketAccess = true };
                for (var i = 0; i < SocketLookupArguments.Length; i++)
                {
                    if (!RequireInitialized(pc, state, i + 1) || !CheckArgument(pc, state, i + 1, SocketLookupArguments, i, meta))
                    {
                        return false;
                    }
                }

                ClobberCallerSaved(state, AcquireSocket(pc, state, id == SkcLookupTcp ? ValueKind.SockCommonOrNull : ValueKind.SocketOrNull));
                return true;
            case SkRelease:
                if (!RequireInitialized(pc, state, 1))
                {
                    return false;
                }

                var socket = state.Registers[1];
                if (socket.Kind != ValueKind.Unknown && (!CheckReleasedSocket(pc, socket) || !ReleaseRecord(pc, id, state, socket.ReferenceId)))
                {
                    return false;
                }

                ClobberCallerSaved(state, RegisterValue.UnknownScalar);
                return true;
            case (int)HelperId.SkStorageGet or (int)HelperId.SkStorageDelete:
                // The storage helpers are otherwise unmodelled; their socket (ARG_PTR_TO_BTF_ID_SOCK_COMMON) is checked.
                handled = false;
                return RequireInitialized(pc, state, 1) && RequireInitialized(pc, state, 2) && CheckStorageSocket(pc, state.Registers[2]);
            case (int)HelperId.TaskStorageGet or (int)HelperId.TaskStorageDelete:
                // The task is a kernel pointer (ARG_PTR_TO_BTF_ID, or NULL for the get), never a number.
                handled = false;
                return RequireInitialized(pc, state, 1) && RequireInitialized(pc, state, 2)
                    && CheckStorageTask(pc, state.Registers[2], allowNull: id == (int)HelperId.TaskStorageGet);
            default:
                return SocketCastCall(pc, id, state, out handled);
        }
    }

    /// <summary>bpf_sk_storage_get/delete's socket: a checked socket of any kind (measured: Data/generated
    /// rt3_sockops_sk_storage_nocheck); a pointer SharpBpf does not model passes unchecked.</summary>
    private bool CheckStorageSocket(int pc, RegisterValue socket) =>
        socket.Kind is ValueKind.Unknown or ValueKind.Socket or ValueKind.SockCommon or ValueKind.TcpSock or ValueKind.BtfSocket
        || Reject(pc, $"R2 type={socket.Kind.KernelName()} expected={SockCommonTypes}");

    /// <summary>bpf_task_storage_get/delete's task (measured: Data/generated rt3_tstore_not_btf): SharpBpf does not model
    /// kernel task pointers, so only a number is refused.</summary>
    private bool CheckStorageTask(int pc, RegisterValue task, bool allowNull) =>
        task.Kind != ValueKind.Scalar || (allowNull && task.Range is { IsConstant: true, Value: 0 })
        || Reject(pc, "R2 type=scalar expected=ptr_, trusted_ptr_, rcu_ptr_");

    /// <summary>acquire_reference for a lookup's result, as bpf_ringbuf_reserve's record gets one.</summary>
    private RegisterValue AcquireSocket(int pc, VerifierState state, ValueKind kind)
    {
        int id = NewId();
        state.References = state.References.Add(new AcquiredReference(id, pc));
        return new RegisterValue(kind, ScalarRange.Zero, Id: id, ReferenceId: id);
    }

    /// <summary>ARG_PTR_TO_BTF_ID_SOCK_COMMON | OBJ_RELEASE: a checked socket, and one the program owns.</summary>
    private bool CheckReleasedSocket(int pc, RegisterValue socket)
    {
        if (socket.Kind is not (ValueKind.Socket or ValueKind.SockCommon or ValueKind.TcpSock or ValueKind.BtfSocket))
        {
            return Reject(pc, $"R1 type={socket.Kind.KernelName()} expected={SockCommonTypes}");
        }

        if (socket.ReferenceId == 0)
        {
            return Reject(pc, "R1 must be referenced when passed to release function");
        }

        return true;
    }

    /// <summary>A context's socket (<c>__sk_buff.sk</c>, <c>bpf_sock_ops.sk</c>…): one the program may read (once it
    /// checked it for NULL where it may be NULL) and never releases.</summary>
    private RegisterValue BorrowedSocket(ValueKind kind) => new(kind, ScalarRange.Zero, Id: kind.MayBeNull() ? NewId() : 0);

    /// <summary>check_sock_access: loads only, of the fields the socket's kind allows.</summary>
    private bool SocketAccess(int pc, int register, RegisterValue socket, int offset, int size, AccessSource source, out RegisterValue value)
    {
        value = ScalarOfSize(size);
        if (source != AccessSource.Read)
        {
            return Reject(pc, $"R{register} cannot write into {socket.Kind.KernelName()}");
        }

        bool valid = socket.Kind switch
        {
            ValueKind.SockCommon => SockCommonFieldReadable(offset, size),
            ValueKind.TcpSock => TcpSockFieldReadable(offset, size),
            _ => SockFieldReadable(offset, size),
        };
        if (!valid)
        {
            return Reject(pc, $"R{register} invalid {socket.Kind.KernelName()} access off={offset} size={size}");
        }

        return true;
    }

    // struct bpf_sock's layout (uapi): the offsets the kernel's access rules name.
    private const int SockType = 8, SockPriorityEnd = 24, SockSrcIp4 = 24, SockSrcIp6End = 44, SockDstPort = 48,
        SockDstPortEnd = 50, SockDstIp4 = 52, SockDstIp6End = 72, SockState = 72, SockRxQueueMapping = 76, SockSize = 80;

    /// <summary>bpf_sock_common_is_valid_access: a sock_common has no type, protocol, mark or priority.</summary>
    private static bool SockCommonFieldReadable(int offset, int size) =>
        offset is not (>= SockType and < SockPriorityEnd) && SockFieldReadable(offset, size);

    /// <summary>
    /// bpf_sock_is_valid_access: inside the struct and aligned to the size; the addresses, family, state… also by
    /// narrower loads; dst_port as its 2 bytes or as a u32; the padding after it never; every other field as a u32.
    /// </summary>
    private static bool SockFieldReadable(int offset, int size)
    {
        if (offset < 0 || offset >= SockSize || offset % size != 0)
        {
            return false;
        }

        bool narrowAllowed = offset is 4 or 8 or 12 or 44 or SockState or SockRxQueueMapping
            || offset is >= SockSrcIp4 and < SockSrcIp6End
            || offset is >= SockDstIp4 and < SockDstIp6End;
        if (narrowAllowed)
        {
            return size <= 4;
        }

        return offset switch
        {
            >= SockDstPort and < SockDstPortEnd => size <= 2 || size == 4,
            >= SockDstPortEnd and < SockDstIp4 => false,
            _ => size == 4,
        };
    }
}

namespace SharpBpf.Verifier;

/// <summary>
/// Socket casts, as Linux 6.18 judges them: bpf_sk_fullsock, bpf_tcp_sock and bpf_get_listener_sock take any socket
/// of the skb and lookup kinds (ARG_PTR_TO_SOCK_COMMON) and return a sock_or_null / tcp_sock_or_null; the
/// bpf_skc_to_* casts also take kernel socket pointers (ARG_PTR_TO_BTF_ID_SOCK_COMMON) and return a kernel struct
/// (ptr_or_null_). None acquires: a cast carries its argument's reference (the kernel's is_ptr_cast_function copies
/// ref_obj_id), so releasing the cast releases the socket and every other cast of it, and a cast's NULL leaves the
/// socket's reference held. bpf_get_listener_sock is not a cast: the listener holds no reference at all.
/// </summary>
internal sealed partial class Analysis
{
    private const int SkFullsock = 95, TcpSock = 96, GetListenerSock = 98;
    private const int SkcToTcp6Sock = 136, SkcToTcpSock = 137, SkcToTcpTimewaitSock = 138, SkcToTcpRequestSock = 139, SkcToUdp6Sock = 140;

    /// <summary>The register types ARG_PTR_TO_SOCK_COMMON accepts, as check_reg_type lists them.</summary>
    private const string SockCommonArgumentTypes = "sock_common, sock, tcp_sock, xdp_sock";

    /// <summary>Judges a call of a socket cast (<paramref name="handled"/>); not for any other helper.</summary>
    private bool SocketCastCall(int pc, int id, VerifierState state, out bool handled)
    {
        var result = id switch
        {
            SkFullsock => (Kind: ValueKind.SocketOrNull, Struct: (KernelSocketStruct?)null, Cast: true),
            TcpSock => (ValueKind.TcpSockOrNull, null, true),
            GetListenerSock => (ValueKind.SocketOrNull, null, false),
            SkcToTcp6Sock or SkcToTcpSock or SkcToTcpTimewaitSock or SkcToTcpRequestSock or SkcToUdp6Sock =>
                (ValueKind.BtfSocketOrNull, KernelSocketStructs.ReturnedBy(id), true),
            _ => ((ValueKind Kind, KernelSocketStruct? Struct, bool Cast)?)null,
        };
        handled = result is not null;
        if (result is not { } cast)
        {
            return true;
        }

        if (!RequireInitialized(pc, state, 1))
        {
            return false;
        }

        var socket = state.Registers[1];
        if (socket.Kind != ValueKind.Unknown)
        {
            bool acceptsKernelPointers = cast.Struct is not null;
            bool accepted = socket.Kind is ValueKind.SockCommon or ValueKind.Socket or ValueKind.TcpSock
                || (acceptsKernelPointers && socket.Kind == ValueKind.BtfSocket);
            if (!accepted)
            {
                var expected = acceptsKernelPointers ? SockCommonTypes : SockCommonArgumentTypes;
                return Reject(pc, $"R1 type={socket.Kind.KernelName()} expected={expected}");
            }
        }

        var returned = new RegisterValue(cast.Kind, ScalarRange.Zero, Id: NewId(),
            ReferenceId: cast.Cast ? socket.ReferenceId : 0, MemorySize: cast.Struct?.Size ?? 0);
        ClobberCallerSaved(state, returned);
        return true;
    }

    /// <summary>
    /// bpf_tcp_sock_is_valid_access: up to icsk_retransmits, aligned; bytes_received and bytes_acked as u64, every
    /// other field as a whole u32.
    /// </summary>
    private static bool TcpSockFieldReadable(int offset, int size)
    {
        const int BytesReceived = 80, BytesAcked = 88, End = 112;
        if (offset < 0 || offset >= End || offset % size != 0)
        {
            return false;
        }

        return offset is BytesReceived or BytesAcked ? size == 8 : size == 4;
    }

    /// <summary>
    /// check_ptr_to_btf_access for a kernel socket struct: GPL programs only, read only, at a constant offset inside
    /// the struct. Linux also walks the struct's BTF and refuses a read that lands in no field (padding); SharpBpf has
    /// no kernel BTF and only knows the struct's size (docs/verifier.md). An 8-byte read may be one of the struct's
    /// pointers, which Linux types as another kernel pointer: SharpBpf does not model what it reads.
    /// </summary>
    private bool KernelSocketAccess(int pc, int register, RegisterValue pointer, int offset, int size, AccessSource source, out RegisterValue value)
    {
        value = RegisterValue.NotInit;
        var kernelStruct = KernelSocketStructs.OfSize(pointer.MemorySize);
        if (!_input.IsGplCompatible)
        {
            return Reject(pc, $"Cannot access kernel 'struct {kernelStruct.Name}' from non-GPL compatible program");
        }

        long at = pointer.Offset + offset;
        if (at < 0)
        {
            return Reject(pc, $"R{register} is ptr_{kernelStruct.Name} invalid negative access: off={at}");
        }

        if (!pointer.Range.IsConstant || pointer.Range.Value != 0)
        {
            return Reject(pc, $"R{register} is ptr_{kernelStruct.Name} invalid variable offset: off={at}, var_off={pointer.Range.KnownBits}");
        }

        if (source != AccessSource.Read)
        {
            return Reject(pc, "only read is supported");
        }

        if (at + size > kernelStruct.Size)
        {
            return Reject(pc, $"access beyond struct {kernelStruct.Name} at off {at} size {size}");
        }

        value = size == 8 ? RegisterValue.Unmodelled : ScalarOfSize(size);
        return true;
    }
}

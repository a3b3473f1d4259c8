namespace SharpBpf.Verifier;

/// <summary>What a register or spilled stack slot holds, as the kernel's <c>enum bpf_reg_type</c> tells them apart.</summary>
internal enum ValueKind : byte
{
    NotInit,
    Scalar,
    Context,
    Stack,
    MapPointer,
    MapPointerOrNull,
    MapValue,
    MapValueOrNull,
    MapKey,
    Packet,
    PacketMeta,
    PacketEnd,
    Function,
    /// <summary>A ring buffer record (PTR_TO_MEM | MEM_RINGBUF): <see cref="RegisterValue.MemorySize"/> bytes, holding a reference.</summary>
    RingbufMemory,
    /// <summary>bpf_ringbuf_reserve's result before its NULL check.</summary>
    RingbufMemoryOrNull,
    /// <summary>
    /// Plain memory of <see cref="RegisterValue.MemorySize"/> bytes (PTR_TO_MEM): a global function's pointer argument,
    /// once NULL-checked or declared <c>__arg_nonnull</c>.
    /// </summary>
    Memory,
    /// <summary>A global function's pointer argument before its NULL check (PTR_TO_MEM | PTR_MAYBE_NULL).</summary>
    MemoryOrNull,
    /// <summary>A full socket from bpf_sk_lookup_tcp/udp (PTR_TO_SOCKET), holding a reference.</summary>
    Socket,
    /// <summary>A socket lookup's result before its NULL check.</summary>
    SocketOrNull,
    /// <summary>A socket's common part (PTR_TO_SOCK_COMMON): bpf_skc_lookup_tcp's, or <c>__sk_buff.sk</c>.</summary>
    SockCommon,
    /// <summary>A sock_common before its NULL check.</summary>
    SockCommonOrNull,
    /// <summary>bpf_tcp_sock's result once NULL-checked (PTR_TO_TCP_SOCK): a read-only struct bpf_tcp_sock.</summary>
    TcpSock,
    /// <summary>bpf_tcp_sock's result before its NULL check.</summary>
    TcpSockOrNull,
    /// <summary>
    /// A kernel socket struct from bpf_skc_to_* (PTR_TO_BTF_ID), once NULL-checked: <see cref="RegisterValue.MemorySize"/>
    /// is the struct's size (<see cref="KernelSocketStructs"/> names it).
    /// </summary>
    BtfSocket,
    /// <summary>A bpf_skc_to_* result before its NULL check.</summary>
    BtfSocketOrNull,
    /// <summary>An open-coded iterator's stack slot (STACK_ITER) while next may still yield: only ever a spill, holding a reference.</summary>
    IterActive,
    /// <summary>An iterator's stack slot once next returned NULL on this path.</summary>
    IterDrained,
    /// <summary>PTR_TO_MEM | MEM_RDONLY: <see cref="RegisterValue.MemorySize"/> readable bytes (bpf_iter_num_next's int).</summary>
    ReadOnlyMemory,
    /// <summary>
    /// A local dynptr's 16 stack bytes (STACK_DYNPTR, BPF_DYNPTR_TYPE_LOCAL, from bpf_dynptr_from_mem): only ever a
    /// 16-byte spill at an 8-aligned offset; <see cref="RegisterValue.DynptrId"/> names it for its slices.
    /// </summary>
    DynptrLocal,
    /// <summary>A ring buffer dynptr's stack bytes (BPF_DYNPTR_TYPE_RINGBUF): as <see cref="DynptrLocal"/>, holding a reference.</summary>
    DynptrRingbuf,
    /// <summary>
    /// bpf_dynptr_data's slice once NULL-checked (PTR_TO_MEM of the constant length): <see cref="RegisterValue.MemorySize"/>
    /// bytes of the dynptr's memory, never proven (its region is the dynptr's: a map value or a ring buffer record).
    /// </summary>
    DynptrMemory,
    /// <summary>bpf_dynptr_data's result before its NULL check.</summary>
    DynptrMemoryOrNull,
    /// <summary>Something this verifier does not model (a kfunc result, ring buffer memory…): never the cause of a rejection.</summary>
    Unknown,
}

internal static class ValueKindNames
{
    /// <summary>The kernel's <c>reg_type_str</c> spelling, as it appears in "R1 type=fp expected=map_value".</summary>
    public static string KernelName(this ValueKind kind) => kind switch
    {
        ValueKind.NotInit => "?",
        ValueKind.Scalar => "scalar",
        ValueKind.Context => "ctx",
        ValueKind.Stack => "fp",
        ValueKind.MapPointer => "map_ptr",
        ValueKind.MapPointerOrNull => "map_ptr_or_null",
        ValueKind.MapValue => "map_value",
        ValueKind.MapValueOrNull => "map_value_or_null",
        ValueKind.MapKey => "map_key",
        ValueKind.Packet => "pkt",
        ValueKind.PacketMeta => "pkt_meta",
        ValueKind.PacketEnd => "pkt_end",
        ValueKind.Function => "func",
        ValueKind.RingbufMemory => "ringbuf_mem",
        ValueKind.RingbufMemoryOrNull => "ringbuf_mem_or_null",
        ValueKind.Memory => "mem",
        ValueKind.MemoryOrNull => "mem_or_null",
        ValueKind.Socket => "sock",
        ValueKind.SocketOrNull => "sock_or_null",
        ValueKind.SockCommon => "sock_common",
        ValueKind.SockCommonOrNull => "sock_common_or_null",
        ValueKind.TcpSock => "tcp_sock",
        ValueKind.TcpSockOrNull => "tcp_sock_or_null",
        ValueKind.BtfSocket => "ptr_",
        ValueKind.BtfSocketOrNull => "ptr_or_null_",
        ValueKind.IterActive or ValueKind.IterDrained => "iter_num",
        ValueKind.ReadOnlyMemory => "rdonly_mem",
        ValueKind.DynptrLocal => "dynptr_local",
        ValueKind.DynptrRingbuf => "dynptr_ringbuf",
        ValueKind.DynptrMemory => "mem",
        ValueKind.DynptrMemoryOrNull => "mem_or_null",
        _ => "unknown",
    };

    public static bool IsIterator(this ValueKind kind) => kind is ValueKind.IterActive or ValueKind.IterDrained;

    public static bool IsDynptr(this ValueKind kind) => kind is ValueKind.DynptrLocal or ValueKind.DynptrRingbuf;

    public static bool IsPointer(this ValueKind kind) => kind is not (ValueKind.NotInit or ValueKind.Scalar or ValueKind.Unknown);

    /// <summary>Pointers the verifier knows are not NULL: comparing one with 0 has a known outcome.</summary>
    public static bool IsNonNullPointer(this ValueKind kind) => kind.IsPointer() && !kind.MayBeNull();

    /// <summary>A helper result that must be compared with NULL before use (the kernel's PTR_MAYBE_NULL).</summary>
    public static bool MayBeNull(this ValueKind kind) =>
        kind is ValueKind.MapPointerOrNull or ValueKind.MapValueOrNull or ValueKind.RingbufMemoryOrNull
            or ValueKind.MemoryOrNull or ValueKind.SocketOrNull or ValueKind.SockCommonOrNull or ValueKind.TcpSockOrNull
            or ValueKind.BtfSocketOrNull or ValueKind.DynptrMemoryOrNull;
}

namespace SharpBpf.Verifier;

/// <summary>How a context field may be loaded or stored.</summary>
internal enum ContextFieldAccess : byte
{
    /// <summary>Not at all.</summary>
    None,

    /// <summary>Only as a whole: the field's offset and size.</summary>
    Whole,

    /// <summary>Any naturally aligned part of it (a narrow load of a 4-byte field, or any aligned access of cb[]).</summary>
    AlignedPart,

    /// <summary>A part that starts where the field starts, of any size (bpf_sock's narrow loads of family, type…).</summary>
    Prefix,

    /// <summary>Naturally aligned 4- or 8-byte parts only (bpf_sock_addr's user_ip6 stores).</summary>
    AlignedWords,

    /// <summary>Naturally aligned parts of 2 bytes or more (sk_reuseport_md's eth_protocol).</summary>
    AlignedHalves,
}

/// <summary>
/// One field of a program type's context as the kernel's is_valid_access callback judges it: the bytes it spans and
/// how a load and a store may touch them. <see cref="Socket"/> is the kind of socket pointer a field's load gives, one
/// the program does not own (<c>__sk_buff.sk</c> a sock_common_or_null, <c>bpf_sock_ops.sk</c> and
/// <c>bpf_sk_lookup.sk</c> a sock_or_null, <c>sk_msg_md.sk</c>, <c>bpf_sock_addr.sk</c> and <c>bpf_sockopt.sk</c> a
/// sock); <see cref="HoldsUnmodelledPointer"/> marks one whose load is a pointer this verifier does not model
/// (sk_reuseport_md's sockets, bpf_flow_dissector's flow_keys…), so the loaded register is not checked.
/// </summary>
internal readonly record struct ContextField(int Offset, int Size, ContextFieldAccess Read, ContextFieldAccess Write = ContextFieldAccess.None,
    ValueKind? Socket = null, bool HoldsUnmodelledPointer = false)
{
    public bool Allows(int offset, int size, bool write) => (write ? Write : Read) switch
    {
        ContextFieldAccess.Whole => offset == Offset && size == Size,
        ContextFieldAccess.AlignedPart => AlignedInside(offset, size),
        ContextFieldAccess.Prefix => offset == Offset && size <= Size,
        ContextFieldAccess.AlignedWords => size >= 4 && AlignedInside(offset, size),
        ContextFieldAccess.AlignedHalves => size >= 2 && AlignedInside(offset, size),
        _ => false,
    };

    private bool AlignedInside(int offset, int size) => offset >= Offset && offset % size == 0 && offset + size <= Offset + Size;
}

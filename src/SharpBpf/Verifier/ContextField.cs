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
}

/// <summary>
/// One field of a program type's context as the kernel's is_valid_access callback judges it: the bytes it spans and
/// how a load and a store may touch them. <see cref="HoldsPointer"/> marks a field whose load is a socket pointer the
/// program does not own (<c>__sk_buff.sk</c>, a sock_common_or_null).
/// </summary>
internal readonly record struct ContextField(int Offset, int Size, ContextFieldAccess Read, ContextFieldAccess Write = ContextFieldAccess.None,
    bool HoldsPointer = false)
{
    public bool Allows(int offset, int size, bool write) => (write ? Write : Read) switch
    {
        ContextFieldAccess.Whole => offset == Offset && size == Size,
        ContextFieldAccess.AlignedPart => offset >= Offset && offset % size == 0 && offset + size <= Offset + Size,
        _ => false,
    };
}

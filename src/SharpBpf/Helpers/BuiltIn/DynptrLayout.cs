using System.Buffers.Binary;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>The kinds of memory a dynptr can stand for (the kernel's <c>enum bpf_dynptr_type</c>).</summary>
internal enum DynptrType : uint
{
    Invalid = 0,
    Local = 1,
    Ringbuf = 2,
    Skb = 3,
    Xdp = 4,
}

/// <summary>
/// The 16 bytes of a <c>struct bpf_dynptr</c> in the program's stack, laid out as Linux's <c>struct bpf_dynptr_kern</c>:
/// the data address (8 bytes), the size in the low 24 bits of the next word with the type in bits 28–30 and the
/// read-only flag in bit 31, then the offset into the data (4 bytes). A NULL dynptr is 16 zero bytes.
/// </summary>
internal readonly ref struct DynptrLayout
{
    public const int Bytes = 16;

    /// <summary>DYNPTR_MAX_SIZE: the largest size a dynptr can describe.</summary>
    public const uint MaxSize = SizeMask;

    private const uint SizeMask = 0xFFFFFF;
    private const int TypeShift = 28;
    private const uint TypeMask = 0x7;
    private const uint ReadOnlyBit = 1u << 31;

    private readonly Span<byte> _bytes;

    private DynptrLayout(Span<byte> bytes) => _bytes = bytes;

    /// <summary>
    /// The dynptr at <paramref name="address"/>. Its bytes are always checked to be the program's (in unchecked runs
    /// too): a global function's dynptr argument is not modelled by the verifier, so its address is not proven.
    /// </summary>
    public static DynptrLayout At(HelperCallContext context, ulong address, string helper)
    {
        if (!context.TryGetMemory(address, Bytes, MemoryAccess.ReadWrite, out var bytes))
        {
            context.Fault($"{helper}: 0x{address:x} is not a dynptr in the program's memory");
        }

        return new DynptrLayout(bytes);
    }

    public ulong Data => BinaryPrimitives.ReadUInt64LittleEndian(_bytes);

    public uint Size => BinaryPrimitives.ReadUInt32LittleEndian(_bytes[8..]) & SizeMask;

    public bool IsReadOnly => (BinaryPrimitives.ReadUInt32LittleEndian(_bytes[8..]) & ReadOnlyBit) != 0;

    public DynptrType Type => (DynptrType)((BinaryPrimitives.ReadUInt32LittleEndian(_bytes[8..]) >> TypeShift) & TypeMask);

    public uint Offset => BinaryPrimitives.ReadUInt32LittleEndian(_bytes[12..]);

    public bool IsNull => Data == 0;

    /// <summary>bpf_dynptr_init.</summary>
    public void Initialize(ulong data, DynptrType type, uint size)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_bytes, data);
        BinaryPrimitives.WriteUInt32LittleEndian(_bytes[8..], size | ((uint)type << TypeShift));
        BinaryPrimitives.WriteUInt32LittleEndian(_bytes[12..], 0);
    }

    /// <summary>bpf_dynptr_set_null.</summary>
    public void SetNull() => _bytes.Clear();

    /// <summary>bpf_dynptr_check_off_len: <paramref name="length"/> bytes at <paramref name="offset"/> lie inside the dynptr.</summary>
    public bool Covers(uint offset, uint length) => length <= Size && offset <= Size - length;

    /// <summary>
    /// The dynptr's bytes at <paramref name="offset"/> (already checked against its size). The address is checked to
    /// be memory the run owns, whatever the mode, for the reason <see cref="At"/> gives.
    /// </summary>
    public Span<byte> Slice(HelperCallContext context, uint offset, uint length, MemoryAccess access, string helper)
    {
        ulong address = Data + Offset + offset;
        if (!context.TryGetMemory(address, length, access, out var memory))
        {
            context.Fault($"{helper}: the dynptr's memory at 0x{address:x} is not the program's");
        }

        return memory;
    }
}

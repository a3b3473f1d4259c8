namespace SharpBpf.Isa;

/// <summary>Bits 3–4 of a load or store opcode.</summary>
internal enum AccessSize : byte
{
    Word = 0x00,
    Half = 0x08,
    Byte = 0x10,
    DoubleWord = 0x18,
}

/// <summary>Bits 5–7 of a load or store opcode.</summary>
internal enum AccessMode : byte
{
    Imm = 0x00,
    Abs = 0x20,
    Ind = 0x40,
    Mem = 0x60,
    MemSx = 0x80,
    Atomic = 0xc0,
}

/// <summary>The immediate of an atomic instruction (<c>BPF_ATOMIC</c> mode).</summary>
internal enum AtomicOperation
{
    Add = 0x00,
    Or = 0x40,
    And = 0x50,
    Xor = 0xa0,
    FetchAdd = 0x01,
    FetchOr = 0x41,
    FetchAnd = 0x51,
    FetchXor = 0xa1,
    Xchg = 0xe1,
    CmpXchg = 0xf1,
}

/// <summary>Helpers for the access-size bits.</summary>
internal static class AccessSizeExtensions
{
    public static int Bytes(this AccessSize size) => size switch
    {
        AccessSize.Byte => 1,
        AccessSize.Half => 2,
        AccessSize.Word => 4,
        _ => 8,
    };
}

namespace SharpBpf.Btf;

/// <summary>The kind of a BTF type, numbered as in the kernel's <c>include/uapi/linux/btf.h</c>.</summary>
public enum BtfKind : byte
{
    Void = 0,
    Int = 1,
    Pointer = 2,
    Array = 3,
    Struct = 4,
    Union = 5,
    Enum = 6,
    Forward = 7,
    Typedef = 8,
    Volatile = 9,
    Const = 10,
    Restrict = 11,
    Function = 12,
    FunctionProto = 13,
    Variable = 14,
    DataSection = 15,
    Float = 16,
    DeclTag = 17,
    TypeTag = 18,
    Enum64 = 19,
}

/// <summary>Bits of <c>BTF_INT_ENCODING</c>.</summary>
[Flags]
public enum BtfIntEncoding : byte
{
    None = 0,
    Signed = 1,
    Char = 2,
    Bool = 4,
}

/// <summary>Linkage of a FUNC (<c>btf_func_linkage</c>).</summary>
public enum BtfFunctionLinkage : ushort
{
    Static = 0,
    Global = 1,
    Extern = 2,
}

/// <summary>Linkage of a VAR (<c>BTF_VAR_*</c>).</summary>
public enum BtfVariableLinkage : uint
{
    Static = 0,
    GlobalAllocated = 1,
    GlobalExtern = 2,
}

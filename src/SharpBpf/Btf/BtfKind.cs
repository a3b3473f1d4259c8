namespace SharpBpf.Btf;

/// <summary>The kind of a BTF type, numbered as in the kernel's <c>include/uapi/linux/btf.h</c>.</summary>
public enum BtfKind : byte
{
    /// <summary><c>BTF_KIND_UNKN</c>.</summary>
    Void = 0,
    /// <summary><c>BTF_KIND_INT</c>.</summary>
    Int = 1,
    /// <summary><c>BTF_KIND_PTR</c>.</summary>
    Pointer = 2,
    /// <summary><c>BTF_KIND_ARRAY</c>.</summary>
    Array = 3,
    /// <summary><c>BTF_KIND_STRUCT</c>.</summary>
    Struct = 4,
    /// <summary><c>BTF_KIND_UNION</c>.</summary>
    Union = 5,
    /// <summary><c>BTF_KIND_ENUM</c>.</summary>
    Enum = 6,
    /// <summary><c>BTF_KIND_FWD</c>.</summary>
    Forward = 7,
    /// <summary><c>BTF_KIND_TYPEDEF</c>.</summary>
    Typedef = 8,
    /// <summary><c>BTF_KIND_VOLATILE</c>.</summary>
    Volatile = 9,
    /// <summary><c>BTF_KIND_CONST</c>.</summary>
    Const = 10,
    /// <summary><c>BTF_KIND_RESTRICT</c>.</summary>
    Restrict = 11,
    /// <summary><c>BTF_KIND_FUNC</c>.</summary>
    Function = 12,
    /// <summary><c>BTF_KIND_FUNC_PROTO</c>.</summary>
    FunctionProto = 13,
    /// <summary><c>BTF_KIND_VAR</c>.</summary>
    Variable = 14,
    /// <summary><c>BTF_KIND_DATASEC</c>.</summary>
    DataSection = 15,
    /// <summary><c>BTF_KIND_FLOAT</c>.</summary>
    Float = 16,
    /// <summary><c>BTF_KIND_DECL_TAG</c>.</summary>
    DeclTag = 17,
    /// <summary><c>BTF_KIND_TYPE_TAG</c>.</summary>
    TypeTag = 18,
    /// <summary><c>BTF_KIND_ENUM64</c>.</summary>
    Enum64 = 19,
}

/// <summary>Bits of <c>BTF_INT_ENCODING</c>.</summary>
[Flags]
public enum BtfIntEncoding : byte
{
    /// <summary>Unsigned integer.</summary>
    None = 0,
    /// <summary><c>BTF_INT_SIGNED</c>: a signed integer.</summary>
    Signed = 1,
    /// <summary><c>BTF_INT_CHAR</c>: a character (printed as one).</summary>
    Char = 2,
    /// <summary><c>BTF_INT_BOOL</c>: a boolean.</summary>
    Bool = 4,
}

/// <summary>Linkage of a FUNC (<c>btf_func_linkage</c>).</summary>
public enum BtfFunctionLinkage : ushort
{
    /// <summary><c>BTF_FUNC_STATIC</c>: a static function (verified with its caller).</summary>
    Static = 0,
    /// <summary><c>BTF_FUNC_GLOBAL</c>: a global function (verified on its own, against its BTF prototype).</summary>
    Global = 1,
    /// <summary><c>BTF_FUNC_EXTERN</c>: a function defined elsewhere (a kfunc or a linked object).</summary>
    Extern = 2,
}

/// <summary>Linkage of a VAR (<c>BTF_VAR_*</c>).</summary>
public enum BtfVariableLinkage : uint
{
    /// <summary><c>BTF_VAR_STATIC</c>: a static variable.</summary>
    Static = 0,
    /// <summary><c>BTF_VAR_GLOBAL_ALLOCATED</c>: a global variable defined in this object.</summary>
    GlobalAllocated = 1,
    /// <summary><c>BTF_VAR_GLOBAL_EXTERN</c>: an extern variable (Kconfig or ksym).</summary>
    GlobalExtern = 2,
}

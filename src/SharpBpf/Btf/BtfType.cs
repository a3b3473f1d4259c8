using System.Collections.Immutable;

namespace SharpBpf.Btf;

/// <summary>
/// One BTF type. <see cref="Id"/> is its index in <see cref="BtfSpec.Types"/> (0 is <c>void</c>); an empty
/// <see cref="Name"/> means anonymous. References to other types are type ids, resolved through the spec,
/// so the object model stays a flat, immutable table like the wire format.
/// </summary>
public abstract record BtfType(uint Id, string Name)
{
    /// <summary>The BTF kind, as numbered in the kernel's <c>btf.h</c>.</summary>
    public abstract BtfKind Kind { get; }

    /// <summary>True when the type has no name (anonymous structs, unions and enums; pointers, arrays, qualifiers).</summary>
    public bool IsAnonymous => Name.Length == 0;
}

/// <summary>Type id 0: <c>void</c>.</summary>
public sealed record BtfVoid() : BtfType(0, "")
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.Void;
}

/// <summary>INT: <see cref="Size"/> bytes, of which <see cref="Bits"/> bits starting at bit <see cref="BitOffset"/> hold the value.</summary>
public sealed record BtfInt(uint Id, string Name, uint Size, BtfIntEncoding Encoding, byte BitOffset, byte Bits) : BtfType(Id, Name)
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.Int;
    /// <summary>True for a signed integer (<c>BTF_INT_SIGNED</c>).</summary>
    public bool IsSigned => (Encoding & BtfIntEncoding.Signed) != 0;
    /// <summary>True for a character type (<c>BTF_INT_CHAR</c>): printed as a character.</summary>
    public bool IsChar => (Encoding & BtfIntEncoding.Char) != 0;
    /// <summary>True for <c>_Bool</c> (<c>BTF_INT_BOOL</c>).</summary>
    public bool IsBool => (Encoding & BtfIntEncoding.Bool) != 0;
}

/// <summary>A kind that only refers to another type: PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG.</summary>
public abstract record BtfReferenceType(uint Id, string Name, uint TargetId) : BtfType(Id, Name);

/// <summary>PTR: a pointer to <paramref name="TargetId"/>.</summary>
/// <param name="Id">The type id.</param>
/// <param name="TargetId">The pointee type id (0 for <c>void *</c>).</param>
public sealed record BtfPointer(uint Id, uint TargetId) : BtfReferenceType(Id, "", TargetId)
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.Pointer;
}

/// <summary>TYPEDEF: <paramref name="Name"/> names <paramref name="TargetId"/> (<c>__u32</c>, <c>__be16</c>, …).</summary>
/// <param name="Id">The type id.</param>
/// <param name="Name">The typedef's name.</param>
/// <param name="TargetId">The type it names.</param>
public sealed record BtfTypedef(uint Id, string Name, uint TargetId) : BtfReferenceType(Id, Name, TargetId)
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.Typedef;
}

/// <summary>VOLATILE qualifier of <paramref name="TargetId"/>.</summary>
/// <param name="Id">The type id.</param>
/// <param name="TargetId">The qualified type.</param>
public sealed record BtfVolatile(uint Id, uint TargetId) : BtfReferenceType(Id, "", TargetId)
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.Volatile;
}

/// <summary>CONST qualifier of <paramref name="TargetId"/>.</summary>
/// <param name="Id">The type id.</param>
/// <param name="TargetId">The qualified type.</param>
public sealed record BtfConst(uint Id, uint TargetId) : BtfReferenceType(Id, "", TargetId)
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.Const;
}

/// <summary>RESTRICT qualifier of <paramref name="TargetId"/>.</summary>
/// <param name="Id">The type id.</param>
/// <param name="TargetId">The qualified type.</param>
public sealed record BtfRestrict(uint Id, uint TargetId) : BtfReferenceType(Id, "", TargetId)
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.Restrict;
}

/// <summary>TYPE_TAG (<c>__attribute__((btf_type_tag("user")))</c>); <see cref="IsAttribute"/> is the kind_flag.</summary>
public sealed record BtfTypeTag(uint Id, string Name, uint TargetId, bool IsAttribute) : BtfReferenceType(Id, Name, TargetId)
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.TypeTag;
}

/// <summary>ARRAY: <paramref name="Count"/> elements of <paramref name="ElementTypeId"/> (C arrays have no name).</summary>
/// <param name="Id">The type id.</param>
/// <param name="ElementTypeId">The element type.</param>
/// <param name="IndexTypeId">The index type (an int; unused by C).</param>
/// <param name="Count">The number of elements (0 for a flexible array).</param>
public sealed record BtfArray(uint Id, uint ElementTypeId, uint IndexTypeId, uint Count) : BtfType(Id, "")
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.Array;
}

/// <summary>A struct or union member. <see cref="BitfieldSize"/> is 0 for a plain member.</summary>
public sealed record BtfMember(string Name, uint TypeId, uint BitOffset, byte BitfieldSize)
{
    /// <summary>True when the member is a bitfield (<see cref="BitfieldSize"/> bits at bit <see cref="BitOffset"/>).</summary>
    public bool IsBitfield => BitfieldSize != 0;
}

/// <summary>STRUCT or UNION; <see cref="HasBitfieldEncoding"/> is the kind_flag (offsets carry bitfield sizes).</summary>
public abstract record BtfComposite(uint Id, string Name, uint Size, bool HasBitfieldEncoding, ImmutableArray<BtfMember> Members)
    : BtfType(Id, Name);

/// <summary>STRUCT: members at bit offsets within <paramref name="Size"/> bytes.</summary>
/// <param name="Id">The type id.</param>
/// <param name="Name">The struct tag, empty when anonymous.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="HasBitfieldEncoding">The kind_flag: member offsets carry bitfield sizes.</param>
/// <param name="Members">The members in declaration order.</param>
public sealed record BtfStruct(uint Id, string Name, uint Size, bool HasBitfieldEncoding, ImmutableArray<BtfMember> Members)
    : BtfComposite(Id, Name, Size, HasBitfieldEncoding, Members)
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.Struct;
}

/// <summary>UNION: members overlaid from offset 0 within <paramref name="Size"/> bytes.</summary>
/// <param name="Id">The type id.</param>
/// <param name="Name">The union tag, empty when anonymous.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="HasBitfieldEncoding">The kind_flag: member offsets carry bitfield sizes.</param>
/// <param name="Members">The members in declaration order.</param>
public sealed record BtfUnion(uint Id, string Name, uint Size, bool HasBitfieldEncoding, ImmutableArray<BtfMember> Members)
    : BtfComposite(Id, Name, Size, HasBitfieldEncoding, Members)
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.Union;
}

/// <summary>An enumerator; <see cref="Value"/> is sign- or zero-extended per the enum's signedness.</summary>
public sealed record BtfEnumValue(string Name, long Value);

/// <summary>ENUM (32-bit values) or ENUM64; <see cref="IsSigned"/> is the kind_flag.</summary>
public sealed record BtfEnum(uint Id, string Name, uint Size, bool IsSigned, bool Is64, ImmutableArray<BtfEnumValue> Values)
    : BtfType(Id, Name)
{
    /// <inheritdoc/>
    public override BtfKind Kind => Is64 ? BtfKind.Enum64 : BtfKind.Enum;
}

/// <summary>FWD: a declared but not defined struct (or union when <see cref="IsUnion"/>).</summary>
public sealed record BtfForward(uint Id, string Name, bool IsUnion) : BtfType(Id, Name)
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.Forward;
}

/// <summary>FUNC: a function (a program, a subprogram or an extern) with its prototype.</summary>
/// <param name="Id">The type id.</param>
/// <param name="Name">The function's name.</param>
/// <param name="ProtoId">The FUNC_PROTO type id.</param>
/// <param name="Linkage">Static, global or extern (global functions are verified on their own).</param>
public sealed record BtfFunction(uint Id, string Name, uint ProtoId, BtfFunctionLinkage Linkage) : BtfType(Id, Name)
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.Function;
}

/// <summary>One parameter of a FUNC_PROTO.</summary>
/// <param name="Name">The parameter name (empty in a prototype without names).</param>
/// <param name="TypeId">The parameter's type.</param>
public sealed record BtfParameter(string Name, uint TypeId);

/// <summary>FUNC_PROTO. A last parameter with type 0 and no name marks a variadic function; it is not in <see cref="Parameters"/>.</summary>
public sealed record BtfFunctionProto(uint Id, uint ReturnTypeId, ImmutableArray<BtfParameter> Parameters, bool IsVariadic)
    : BtfType(Id, "")
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.FunctionProto;
}

/// <summary>VAR: a global or static variable, placed in a data section by a <see cref="BtfDataSection"/>.</summary>
/// <param name="Id">The type id.</param>
/// <param name="Name">The variable's name.</param>
/// <param name="TypeId">The variable's type.</param>
/// <param name="Linkage">Static, allocated global, or extern.</param>
public sealed record BtfVariable(uint Id, string Name, uint TypeId, BtfVariableLinkage Linkage) : BtfType(Id, Name)
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.Variable;
}

/// <summary>One <c>btf_var_secinfo</c>: a VAR (or FUNC for externs) placed in a data section.</summary>
public sealed record BtfVarSecInfo(uint TypeId, uint Offset, uint Size);

/// <summary>DATASEC. In a compiler's object file sizes and offsets may still be 0 (libbpf fills them in).</summary>
public sealed record BtfDataSection(uint Id, string Name, uint Size, ImmutableArray<BtfVarSecInfo> Variables) : BtfType(Id, Name)
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.DataSection;
}

/// <summary>FLOAT: a floating-point type of <paramref name="Size"/> bytes.</summary>
/// <param name="Id">The type id.</param>
/// <param name="Name">The type's name (<c>float</c>, <c>double</c>).</param>
/// <param name="Size">Size in bytes.</param>
public sealed record BtfFloat(uint Id, string Name, uint Size) : BtfType(Id, Name)
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.Float;
}

/// <summary>DECL_TAG: <see cref="ComponentIndex"/> is -1 for the type itself, else the member or parameter index.</summary>
public sealed record BtfDeclTag(uint Id, string Name, uint TargetId, int ComponentIndex, bool IsAttribute) : BtfType(Id, Name)
{
    /// <inheritdoc/>
    public override BtfKind Kind => BtfKind.DeclTag;
}

using System.Collections.Immutable;

namespace SharpBpf.Btf;

/// <summary>
/// One BTF type. <see cref="Id"/> is its index in <see cref="BtfSpec.Types"/> (0 is <c>void</c>); an empty
/// <see cref="Name"/> means anonymous. References to other types are type ids, resolved through the spec,
/// so the object model stays a flat, immutable table like the wire format.
/// </summary>
public abstract record BtfType(uint Id, string Name)
{
    public abstract BtfKind Kind { get; }

    public bool IsAnonymous => Name.Length == 0;
}

/// <summary>Type id 0: <c>void</c>.</summary>
public sealed record BtfVoid() : BtfType(0, "")
{
    public override BtfKind Kind => BtfKind.Void;
}

/// <summary>INT: <see cref="Size"/> bytes, of which <see cref="Bits"/> bits starting at bit <see cref="BitOffset"/> hold the value.</summary>
public sealed record BtfInt(uint Id, string Name, uint Size, BtfIntEncoding Encoding, byte BitOffset, byte Bits) : BtfType(Id, Name)
{
    public override BtfKind Kind => BtfKind.Int;
    public bool IsSigned => (Encoding & BtfIntEncoding.Signed) != 0;
    public bool IsChar => (Encoding & BtfIntEncoding.Char) != 0;
    public bool IsBool => (Encoding & BtfIntEncoding.Bool) != 0;
}

/// <summary>A kind that only refers to another type: PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG.</summary>
public abstract record BtfReferenceType(uint Id, string Name, uint TargetId) : BtfType(Id, Name);

public sealed record BtfPointer(uint Id, uint TargetId) : BtfReferenceType(Id, "", TargetId)
{
    public override BtfKind Kind => BtfKind.Pointer;
}

public sealed record BtfTypedef(uint Id, string Name, uint TargetId) : BtfReferenceType(Id, Name, TargetId)
{
    public override BtfKind Kind => BtfKind.Typedef;
}

public sealed record BtfVolatile(uint Id, uint TargetId) : BtfReferenceType(Id, "", TargetId)
{
    public override BtfKind Kind => BtfKind.Volatile;
}

public sealed record BtfConst(uint Id, uint TargetId) : BtfReferenceType(Id, "", TargetId)
{
    public override BtfKind Kind => BtfKind.Const;
}

public sealed record BtfRestrict(uint Id, uint TargetId) : BtfReferenceType(Id, "", TargetId)
{
    public override BtfKind Kind => BtfKind.Restrict;
}

/// <summary>TYPE_TAG (<c>__attribute__((btf_type_tag("user")))</c>); <see cref="IsAttribute"/> is the kind_flag.</summary>
public sealed record BtfTypeTag(uint Id, string Name, uint TargetId, bool IsAttribute) : BtfReferenceType(Id, Name, TargetId)
{
    public override BtfKind Kind => BtfKind.TypeTag;
}

public sealed record BtfArray(uint Id, uint ElementTypeId, uint IndexTypeId, uint Count) : BtfType(Id, "")
{
    public override BtfKind Kind => BtfKind.Array;
}

/// <summary>A struct or union member. <see cref="BitfieldSize"/> is 0 for a plain member.</summary>
public sealed record BtfMember(string Name, uint TypeId, uint BitOffset, byte BitfieldSize)
{
    public bool IsBitfield => BitfieldSize != 0;
}

/// <summary>STRUCT or UNION; <see cref="HasBitfieldEncoding"/> is the kind_flag (offsets carry bitfield sizes).</summary>
public abstract record BtfComposite(uint Id, string Name, uint Size, bool HasBitfieldEncoding, ImmutableArray<BtfMember> Members)
    : BtfType(Id, Name);

public sealed record BtfStruct(uint Id, string Name, uint Size, bool HasBitfieldEncoding, ImmutableArray<BtfMember> Members)
    : BtfComposite(Id, Name, Size, HasBitfieldEncoding, Members)
{
    public override BtfKind Kind => BtfKind.Struct;
}

public sealed record BtfUnion(uint Id, string Name, uint Size, bool HasBitfieldEncoding, ImmutableArray<BtfMember> Members)
    : BtfComposite(Id, Name, Size, HasBitfieldEncoding, Members)
{
    public override BtfKind Kind => BtfKind.Union;
}

/// <summary>An enumerator; <see cref="Value"/> is sign- or zero-extended per the enum's signedness.</summary>
public sealed record BtfEnumValue(string Name, long Value);

/// <summary>ENUM (32-bit values) or ENUM64; <see cref="IsSigned"/> is the kind_flag.</summary>
public sealed record BtfEnum(uint Id, string Name, uint Size, bool IsSigned, bool Is64, ImmutableArray<BtfEnumValue> Values)
    : BtfType(Id, Name)
{
    public override BtfKind Kind => Is64 ? BtfKind.Enum64 : BtfKind.Enum;
}

/// <summary>FWD: a declared but not defined struct (or union when <see cref="IsUnion"/>).</summary>
public sealed record BtfForward(uint Id, string Name, bool IsUnion) : BtfType(Id, Name)
{
    public override BtfKind Kind => BtfKind.Forward;
}

public sealed record BtfFunction(uint Id, string Name, uint ProtoId, BtfFunctionLinkage Linkage) : BtfType(Id, Name)
{
    public override BtfKind Kind => BtfKind.Function;
}

public sealed record BtfParameter(string Name, uint TypeId);

/// <summary>FUNC_PROTO. A last parameter with type 0 and no name marks a variadic function; it is not in <see cref="Parameters"/>.</summary>
public sealed record BtfFunctionProto(uint Id, uint ReturnTypeId, ImmutableArray<BtfParameter> Parameters, bool IsVariadic)
    : BtfType(Id, "")
{
    public override BtfKind Kind => BtfKind.FunctionProto;
}

public sealed record BtfVariable(uint Id, string Name, uint TypeId, BtfVariableLinkage Linkage) : BtfType(Id, Name)
{
    public override BtfKind Kind => BtfKind.Variable;
}

/// <summary>One <c>btf_var_secinfo</c>: a VAR (or FUNC for externs) placed in a data section.</summary>
public sealed record BtfVarSecInfo(uint TypeId, uint Offset, uint Size);

/// <summary>DATASEC. In a compiler's object file sizes and offsets may still be 0 (libbpf fills them in).</summary>
public sealed record BtfDataSection(uint Id, string Name, uint Size, ImmutableArray<BtfVarSecInfo> Variables) : BtfType(Id, Name)
{
    public override BtfKind Kind => BtfKind.DataSection;
}

public sealed record BtfFloat(uint Id, string Name, uint Size) : BtfType(Id, Name)
{
    public override BtfKind Kind => BtfKind.Float;
}

/// <summary>DECL_TAG: <see cref="ComponentIndex"/> is -1 for the type itself, else the member or parameter index.</summary>
public sealed record BtfDeclTag(uint Id, string Name, uint TargetId, int ComponentIndex, bool IsAttribute) : BtfType(Id, Name)
{
    public override BtfKind Kind => BtfKind.DeclTag;
}

using System.Collections.Immutable;

namespace SharpBpf.Helpers.Kfuncs;

/// <summary>
/// A kfunc's BTF prototype as SharpBpf models it: each type is reduced to what libbpf's compatibility check between
/// the object's extern declaration and the kernel's function compares (void, an integer, a pointer to one of these
/// or to a struct). <see cref="ToString"/> spells it as C.
/// </summary>
internal sealed record KfuncPrototype(KfuncType Return, ImmutableArray<KfuncType> Parameters)
{
    public static KfuncPrototype Of(KfuncType returns, params KfuncType[] parameters) => new(returns, [.. parameters]);

    public override string ToString() =>
        $"{Return} (*)({(Parameters.IsEmpty ? "void" : string.Join(", ", Parameters))})";
}

/// <summary>One type of a kfunc prototype: its kind, and for a pointer what it points to.</summary>
internal sealed record KfuncType(KfuncTypeKind Kind, KfuncType? Pointee = null, string? Name = null)
{
    public static KfuncType Void { get; } = new(KfuncTypeKind.Void);

    public static KfuncType Int { get; } = new(KfuncTypeKind.Integer, Name: "int");

    public static KfuncType PointerTo(KfuncType pointee) => new(KfuncTypeKind.Pointer, pointee);

    public static KfuncType Struct(string name) => new(KfuncTypeKind.Struct, Name: name);

    public override string ToString() => Kind switch
    {
        KfuncTypeKind.Void => "void",
        KfuncTypeKind.Pointer => $"{Pointee} *",
        KfuncTypeKind.Struct => $"struct {Name}",
        _ => Name ?? "int",
    };
}

internal enum KfuncTypeKind
{
    Void,
    Integer,
    Pointer,
    Struct,
}

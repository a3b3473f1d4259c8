namespace SharpBpf.Loader;

/// <summary>How libbpf stores a <c>.kconfig</c> extern, from its BTF type (libbpf's <c>kcfg_type</c>).</summary>
internal enum KconfigKind
{
    /// <summary><c>bool</c>: y → 1, n → 0; m is an error.</summary>
    Bool,

    /// <summary><c>enum libbpf_tristate</c>: n → 0, y → 1, m → 2.</summary>
    Tristate,

    /// <summary>A 1-byte integer (<c>char</c>): the letter y/n/m itself, or a number.</summary>
    Char,

    /// <summary>An integer of 2, 4 or 8 bytes.</summary>
    Integer,

    /// <summary>A <c>char[N]</c>: a quoted string, cut to N-1 characters and NUL-terminated.</summary>
    CharArray,
}

/// <summary>
/// One <c>extern … __kconfig</c> variable and its place in the object's <c>.kconfig</c> map, laid out as libbpf lays it
/// out (by alignment descending, then size ascending, then name). Its value is resolved when the object loads
/// (<c>BpfObjectOptions.KernelConfig</c>), not in the blueprint.
/// </summary>
internal sealed record KconfigExtern(string Name, uint Offset, uint Size, KconfigKind Kind, bool IsSigned, bool IsWeak);

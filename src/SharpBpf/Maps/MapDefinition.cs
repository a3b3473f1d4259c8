using SharpBpf.Btf;
namespace SharpBpf.Maps;

/// <summary>
/// What BPF_MAP_CREATE receives: the creation input of a live map. The loader's <c>MapSpec</c> turns into one of
/// these. Sizes are the kernel's unsigned 32-bit attributes. <see cref="SpecialFields"/> come from the value's BTF
/// (computed elsewhere; layouts the kernel ignores, such as two timers, must arrive as an empty list).
/// </summary>
public sealed record MapDefinition
{
    /// <summary>A definition with the attributes every map has; set the others with <c>with</c> or an initializer.</summary>
    /// <param name="name">The map's name (for messages and lookups by name).</param>
    /// <param name="type">The map type.</param>
    /// <param name="keySize">Key size in bytes.</param>
    /// <param name="valueSize">Value size in bytes.</param>
    /// <param name="maxEntries">The <c>max_entries</c> attribute.</param>
    /// <param name="flags">The <c>map_flags</c> attribute.</param>
    public MapDefinition(string name, MapType type, uint keySize, uint valueSize, uint maxEntries,
        MapCreateFlags flags = MapCreateFlags.None)
    {
        Name = name;
        Type = type;
        KeySize = keySize;
        ValueSize = valueSize;
        MaxEntries = maxEntries;
        Flags = flags;
    }

    /// <summary>The map's name.</summary>
    public string Name { get; init; }
    /// <summary>The map type.</summary>
    public MapType Type { get; init; }
    /// <summary>Key size in bytes.</summary>
    public uint KeySize { get; init; }
    /// <summary>Value size in bytes.</summary>
    public uint ValueSize { get; init; }
    /// <summary>The <c>max_entries</c> attribute.</summary>
    public uint MaxEntries { get; init; }
    /// <summary>The <c>map_flags</c> attribute.</summary>
    public MapCreateFlags Flags { get; init; }

    /// <summary>BPF_MAP_CREATE's <c>map_extra</c>: for BLOOM_FILTER the number of hash functions in the low 4 bits
    /// (0 means 5); must be 0 for the other types.</summary>
    public ulong MapExtra { get; init; }

    /// <summary>For ARRAY_OF_MAPS/HASH_OF_MAPS: the template every inner map must match (the kernel's <c>inner_map_fd</c>).</summary>
    public MapDefinition? InnerMap { get; init; }

    /// <summary>Timers, spin locks, … inside the value, as found in its BTF.</summary>
    public IReadOnlyList<SpecialField> SpecialFields { get; init; } = [];

    /// <summary>Whether the value has BTF (<c>btf_value_type_id != 0</c>). Special fields exist only with BTF.</summary>
    public bool HasValueBtf { get; init; }

    /// <summary>Whether the key has BTF (<c>btf_key_type_id != 0</c>); local-storage maps require it.</summary>
    public bool HasKeyBtf { get; init; }

    /// <summary>True when the value holds a special field of <paramref name="kind"/>.</summary>
    public bool Has(SpecialFieldKind kind)
    {
        foreach (var field in SpecialFields)
            if (field.Kind == kind) return true;
        return false;
    }
}

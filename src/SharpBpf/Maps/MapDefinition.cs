namespace SharpBpf.Maps;

/// <summary>
/// What BPF_MAP_CREATE receives: the creation input of a live map. The loader's <c>MapSpec</c> turns into one of
/// these. Sizes are the kernel's unsigned 32-bit attributes. <see cref="SpecialFields"/> come from the value's BTF
/// (computed elsewhere; layouts the kernel ignores, such as two timers, must arrive as an empty list).
/// </summary>
public sealed record MapDefinition
{
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

    public string Name { get; init; }
    public MapType Type { get; init; }
    public uint KeySize { get; init; }
    public uint ValueSize { get; init; }
    public uint MaxEntries { get; init; }
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

    public bool Has(SpecialFieldKind kind)
    {
        foreach (var field in SpecialFields)
            if (field.Kind == kind) return true;
        return false;
    }
}

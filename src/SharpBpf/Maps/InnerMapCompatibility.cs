namespace SharpBpf.Maps;

/// <summary>bpf_map_meta_equal: whether a map may be stored in a map-in-map built from a template.</summary>
internal static class InnerMapCompatibility
{
    public static bool Matches(MapDefinition template, BpfMap inner)
    {
        var candidate = inner.Definition;
        if (candidate.Type != template.Type || candidate.KeySize != template.KeySize ||
            candidate.ValueSize != template.ValueSize || candidate.Flags != template.Flags) return false;
        if ((template.Flags & MapCreateFlags.InnerMap) == 0 && candidate.MaxEntries != template.MaxEntries) return false;
        return candidate.SpecialFields.SequenceEqual(template.SpecialFields);
    }
}

/// <summary>Strong references an outer map holds on its inner maps, counted per occurrence.</summary>
internal sealed class InnerMapReferences
{
    private readonly Dictionary<uint, (BpfMap Map, int Count)> _held = [];

    public void Add(BpfMap map)
    {
        _held[map.Id] = _held.TryGetValue(map.Id, out var entry) ? (map, entry.Count + 1) : (map, 1);
    }

    public void Remove(uint id)
    {
        if (!_held.TryGetValue(id, out var entry)) return;
        if (entry.Count <= 1) _held.Remove(id);
        else _held[id] = (entry.Map, entry.Count - 1);
    }

    public BpfMap? Get(uint id) => _held.TryGetValue(id, out var entry) ? entry.Map : null;

    public void Clear() => _held.Clear();
}

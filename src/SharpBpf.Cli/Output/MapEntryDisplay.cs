using SharpBpf.Btf;
using SharpBpf.Loader;

namespace SharpBpf.Cli.Output;

/// <summary>
/// Map entries as people read them: key and value printed as their BTF types (<see cref="BtfDisplayFormatter"/>:
/// field names, addresses and ports readable), one value per CPU for per-CPU maps, and hex where the object has no
/// BTF for the map. Every map gets the same two columns, global data included.
/// </summary>
internal sealed class MapEntryDisplay(CollectionSpec? spec)
{
    public (string Key, string Value) Show(string map, MapEntryDump entry)
    {
        var mapSpec = spec?.FindMap(map);
        var key = Render(mapSpec?.KeyTypeId ?? 0, entry.Key);
        var value = entry.Values is { } perCpu
            ? string.Join("\n", perCpu.Select((v, cpu) => $"cpu{cpu}: {Render(mapSpec?.ValueTypeId ?? 0, v)}"))
            : Render(mapSpec?.ValueTypeId ?? 0, entry.Value ?? "");
        return (key, value);
    }

    /// <summary>The map's key and value types as the caption names them (<c>struct flow_key</c>), or null.</summary>
    public string? TypeNames(string map)
    {
        if (spec?.Btf is not { } btf || spec.FindMap(map) is not { } mapSpec || mapSpec.ValueTypeId == 0) return null;
        var key = mapSpec.KeyTypeId == 0 ? "" : btf.TypeName(mapSpec.KeyTypeId) + " → ";
        return key + btf.TypeName(mapSpec.ValueTypeId);
    }

    private string Render(uint typeId, string hex) => BtfDisplayFormatter.FormatOrHex(spec?.Btf, typeId, Convert.FromHexString(hex));
}

using System.Collections.Immutable;

namespace SharpBpf.Verifier;

/// <summary>
/// Per helper call site, the one map r1 held on every visit, when it was always the same map of the object itself
/// (an <c>lddw</c> of the map, the kernel's CONST_PTR_TO_MAP with no inner-map uid). One visit with anything else —
/// another map, an inner map, an unmodelled value — makes the site unknown for good, as one unproven visit makes an
/// access unproven. Engines use it to call the map directly without comparing r1 with it at run time.
/// </summary>
internal sealed partial class Analysis
{
    private Dictionary<int, VerifierMap?>? _callMaps;
    private HashSet<VerifierMap>? _objectMaps;

    /// <summary>Map names by call slot, for the call sites whose r1 was always the same map of the object.</summary>
    public ImmutableDictionary<int, string> KnownCallMaps =>
        _callMaps is null
            ? ImmutableDictionary<int, string>.Empty
            : _callMaps.Where(site => site.Value is not null).ToImmutableDictionary(site => site.Key, site => site.Value!.Name);

    /// <summary>A visit of the helper call at <paramref name="pc"/> with <paramref name="r1"/> (before its arguments are checked).</summary>
    private void RecordCallMap(int pc, RegisterValue r1)
    {
        _objectMaps ??= new HashSet<VerifierMap>(_input.MapReferences.Values.Select(reference => reference.Map), ReferenceEqualityComparer.Instance);
        _callMaps ??= [];
        var map = r1.Kind == ValueKind.MapPointer && r1.MapUid == 0 && r1.Offset == 0 && r1.Map is { } candidate && _objectMaps.Contains(candidate)
            ? candidate
            : null;
        _callMaps[pc] = _callMaps.TryGetValue(pc, out var earlier) && !ReferenceEquals(earlier, map) ? null : map;
    }
}

using SharpBpf.Maps;

namespace SharpBpf.Verifier;

/// <summary>
/// The kernel's resolve_pseudo_ldimm64, before the walk: an lddw of a map value's address (BPF_PSEUDO_MAP_VALUE, global
/// data) needs a map type that hands out its value's address (map_direct_value_addr): an array or an arena. The kernel's
/// log names no instruction; SharpBpf reports the lddw's slot.
/// </summary>
internal sealed partial class Analysis
{
    private bool CheckDirectValueAccess()
    {
        foreach (var (slot, reference) in _input.MapReferences.OrderBy(entry => entry.Key))
        {
            if (reference.IsValue && reference.Map.Type is not (MapType.Array or MapType.Arena))
            {
                return Reject(slot, "no direct value access support for this map type");
            }
        }

        return true;
    }
}

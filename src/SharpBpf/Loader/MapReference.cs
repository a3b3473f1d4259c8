namespace SharpBpf.Loader;

/// <summary>How an <c>lddw</c> refers to a map.</summary>
internal enum MapReferenceKind
{
    /// <summary><c>BPF_PSEUDO_MAP_FD</c>: the register gets the map itself (for helper arguments).</summary>
    Map = 1,

    /// <summary><c>BPF_PSEUDO_MAP_VALUE</c>: the register gets the address of the (single) value plus <see cref="MapReference.Offset"/> (global data).</summary>
    Value = 2,
}

/// <summary>
/// One <c>lddw</c> of a linked program that refers to a map. In <see cref="ProgramSpec.Instructions"/> the lddw at
/// <see cref="Slot"/> already carries src = <c>BPF_PSEUDO_MAP_FD</c> (1) or <c>BPF_PSEUDO_MAP_VALUE</c> (2), its
/// immediate holds <see cref="MapIndex"/> (where libbpf puts the map's fd) and, for a value reference, the second
/// slot's immediate holds <see cref="Offset"/> (as libbpf leaves it); a runtime replaces the index with its live map.
/// </summary>
/// <param name="Slot">Instruction slot of the lddw in the linked program.</param>
/// <param name="MapIndex">Index into <see cref="CollectionSpec.Maps"/>.</param>
/// <param name="Offset">Byte offset into the value for <see cref="MapReferenceKind.Value"/>; 0 otherwise.</param>
internal readonly record struct MapReference(int Slot, int MapIndex, string MapName, MapReferenceKind Kind, uint Offset);

using SharpBpf.Helpers;

namespace SharpBpf.Execution;

/// <summary>A range of native memory a program may access during a run.</summary>
internal readonly record struct MemoryRegion(ulong Start, ulong Length, MemoryAccess Access, RegionKind Kind)
{
    public ulong End => Start + Length;

    /// <summary>True when <c>[address, address+size)</c> lies inside this region (no overflow for any address).</summary>
    public bool Contains(ulong address, ulong size) =>
        address >= Start && size <= Length && address - Start <= Length - size;
}

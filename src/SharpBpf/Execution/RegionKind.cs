namespace SharpBpf.Execution;

/// <summary>What a memory region is, for diagnostics; access rules come from <see cref="MemoryRegion.Access"/>.</summary>
internal enum RegionKind
{
    Stack,
    Input,
    Context,
    Packet,
    HelperMemory,
}

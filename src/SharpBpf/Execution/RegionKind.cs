namespace SharpBpf.Execution;

/// <summary>What a memory region is, for diagnostics; access rules come from <see cref="MemoryRegion.Access"/>.</summary>
internal enum RegionKind
{
    Stack,
    Input,
    Context,
    Packet,
    HelperMemory,
    /// <summary>The skb test run's socket (<c>__sk_buff.sk</c>), read-only.</summary>
    Socket,
}

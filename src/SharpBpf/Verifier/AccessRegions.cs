namespace SharpBpf.Verifier;

/// <summary>
/// The kinds of memory a load, store or atomic was proven to stay inside. An instruction reached with pointers of
/// several kinds (one path a stack slot, another a map value) carries each kind it was proven for.
/// </summary>
[Flags]
internal enum AccessRegions : byte
{
    None = 0,
    /// <summary>A live stack frame (the program's own or a caller's), within its 512 bytes.</summary>
    Stack = 1 << 0,
    /// <summary>A map value of known size: a lookup result, global data (<c>.data</c>, <c>.bss</c>, <c>.rodata</c>), a callback's value.</summary>
    MapValue = 1 << 1,
    /// <summary>A map key handed to a callback (timer, for_each_map_elem), read only.</summary>
    MapKey = 1 << 2,
    /// <summary>A context field the program type's UAPI struct allows at that offset and size.</summary>
    Context = 1 << 3,
    /// <summary>Packet bytes a comparison with <c>data_end</c> proved.</summary>
    Packet = 1 << 4,
    /// <summary>Metadata bytes a comparison with <c>data</c> proved.</summary>
    PacketMeta = 1 << 5,
    /// <summary>A ring buffer record still held (reserved, not yet submitted or discarded), within its reserved size.</summary>
    RingbufRecord = 1 << 6,
    /// <summary>
    /// A global function's memory argument, within the size its prototype names — proven only when every call site of
    /// every global function proved the region it passed (see Analysis.AccessProofs).
    /// </summary>
    CallerMemory = 1 << 7,
}

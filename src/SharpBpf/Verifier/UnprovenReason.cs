namespace SharpBpf.Verifier;

/// <summary>
/// Why a load, store or atomic the verifier allowed was not proven in bounds (the first unproven visit's reason): what
/// a proof for that class would need. Reported by the proof coverage measurement; the engines only ask whether a slot
/// is proven.
/// </summary>
internal enum UnprovenReason : byte
{
    None,
    /// <summary>A context the verifier does not model (tracing arguments, syscall, BTF-typed contexts…).</summary>
    ContextNotModelled,
    /// <summary>A context whose fields are checked but whose bytes are the host's event or the caller's buffer (tracing, syscall).</summary>
    ContextOfHostMemory,
    /// <summary>A context of a type with no field list, outside the struct's size.</summary>
    ContextOutsideStruct,
    /// <summary>A socket or sock_common field (bpf_sock) read through a socket pointer.</summary>
    SocketField,
    /// <summary>A pointer the verifier does not model: a kfunc or signature-less helper's result, a field of an unmodelled context.</summary>
    UnknownPointer,
    /// <summary>A global function's memory argument: the caller's region, of any kind.</summary>
    CallerMemory,
    /// <summary>Read-only memory a kfunc or helper returned.</summary>
    ReadOnlyMemory,
    /// <summary>A bpf_dynptr_data slice: the dynptr's memory (a map value or a ring buffer record), checked at run time.</summary>
    DynptrSlice,
    /// <summary>A map value whose map is not known at the access (an inner map's value).</summary>
    MapValueOfUnknownMap,
    /// <summary>A map value, key or record whose size the verifier does not know.</summary>
    RegionOfUnknownSize,
    /// <summary>A stack pointer into a frame that has returned.</summary>
    DeadFrame,
    /// <summary>An atomic whose address is not known to be aligned (not a stack, array or hash value, or a variable offset of unknown alignment).</summary>
    AtomicAlignment,
    /// <summary>A helper's memory argument given NULL or another number on some path (nullable arguments).</summary>
    NotMemory,
    /// <summary>
    /// A helper's memory argument checked for a size that is not the most the helper touches: the key or value of an
    /// inner map (another map at run time), a size register that is not a number.
    /// </summary>
    SizeNotTheHelpers,
    /// <summary>Anything else: a check passed without recording a proof.</summary>
    Other,
}

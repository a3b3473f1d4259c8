using SharpBpf.Maps;

namespace SharpBpf.Verifier;

/// <summary>What the walk proved about each memory instruction (see <see cref="AccessProofRecorder"/>).</summary>
internal sealed partial class Analysis
{
    private AccessProofRecorder? _proofs;

    /// <summary>The recorder the bounds checks report to: a helper's memory argument's while one is checked (Analysis.HelperArgumentProofs).</summary>
    private AccessProofRecorder Proofs => _inArgumentVisit ? ArgumentProofs : _proofs ??= new AccessProofRecorder(_code.Length, WhyUnproven);

    /// <summary>
    /// Some call of a global function passed a memory argument whose region was not proven (a packet, which a
    /// packet-changing helper in the callee may shrink under it; a syscall context; an unmodelled pointer; a map
    /// value of an unknown map; a returned frame).
    /// </summary>
    private bool _callerMemoryUnproven;

    /// <summary>
    /// Per slot, what every visit of a load, store or atomic proved; meaningful once <see cref="Run"/> accepted. An
    /// access through a global function's memory argument is proven only when no call site passed an unproven
    /// region: the function was verified once for every caller.
    /// </summary>
    public System.Collections.Immutable.ImmutableArray<AccessProof> AccessProofs
    {
        get
        {
            var proofs = Proofs.ToProofs();
            if (!_callerMemoryUnproven)
            {
                return proofs;
            }

            var builder = proofs.ToBuilder();
            for (var slot = 0; slot < builder.Count; slot++)
            {
                if (builder[slot] is { Proven: true } proof && (proof.Regions & AccessRegions.CallerMemory) != 0)
                {
                    builder[slot] = new AccessProof(false, AccessRegions.None, UnprovenReason.CallerMemory);
                }
            }

            return builder.ToImmutable();
        }
    }

    /// <summary>A global function's memory argument was checked at a call without proving its region in bounds.</summary>
    private void CallerMemoryNotProven() => _callerMemoryUnproven = true;

    /// <summary>
    /// An atomic's address is known to be naturally aligned: an offset whose known bits make it a multiple of the size, from a
    /// base the runtime aligns to 8 bytes — a stack frame, or a value of a map kind whose values start 8-byte aligned
    /// (arrays and hashes, LRU ones included, lay values out in rounded-up strides of 16-byte-aligned blocks, as the kernel
    /// does; an LPM trie allocates each value 16-byte aligned).
    /// </summary>
    private static bool IsKnownAligned(RegisterValue pointer, int offset, int size)
    {
        bool alignedBase = pointer.Kind switch
        {
            ValueKind.Stack => true,
            ValueKind.MapValue => pointer.Map?.Type is MapType.Array or MapType.PercpuArray or MapType.Hash or MapType.PercpuHash
                // LRU hashes share the hash layout; trie values are allocated 16-byte aligned (ValueLayout).
                or MapType.LruHash or MapType.LruPercpuHash or MapType.LpmTrie,
            _ => false,
        };
        return alignedBase && IsAlignedOffset(pointer, offset, size);
    }

    /// <summary>What an access through <paramref name="pointer"/> lacked when no bounds check proved it.</summary>
    private UnprovenReason WhyUnproven(RegisterValue pointer) => pointer.Kind switch
    {
        ValueKind.Context when _input.Context is { DataOffset: null, DataEndOffset: null, Fields.IsDefaultOrEmpty: true } => UnprovenReason.ContextNotModelled,
        ValueKind.Context when !_input.Context.FieldsProveBounds => UnprovenReason.ContextOfHostMemory,
        ValueKind.Context => UnprovenReason.ContextOutsideStruct,
        ValueKind.Socket or ValueKind.SockCommon => UnprovenReason.SocketField,
        ValueKind.Unknown => UnprovenReason.UnknownPointer,
        // Only a helper's nullable memory argument gets here with a number.
        ValueKind.Scalar => UnprovenReason.NotMemory,
        ValueKind.Memory => UnprovenReason.CallerMemory,
        ValueKind.ReadOnlyMemory => UnprovenReason.ReadOnlyMemory,
        ValueKind.DynptrMemory => UnprovenReason.DynptrSlice,
        ValueKind.MapValue when pointer.Map is null => UnprovenReason.MapValueOfUnknownMap,
        ValueKind.MapKey when pointer.Map is null => UnprovenReason.RegionOfUnknownSize,
        // A stack access inside 512 bytes of a live frame is always proven; otherwise it was refused.
        ValueKind.Stack => UnprovenReason.DeadFrame,
        _ => UnprovenReason.Other,
    };
}

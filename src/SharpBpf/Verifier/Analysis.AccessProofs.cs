using SharpBpf.Maps;

namespace SharpBpf.Verifier;

/// <summary>What the walk proved about each memory instruction (see <see cref="AccessProofRecorder"/>).</summary>
internal sealed partial class Analysis
{
    private AccessProofRecorder? _proofs;

    private AccessProofRecorder Proofs => _proofs ??= new AccessProofRecorder(_code.Length, WhyUnproven);

    /// <summary>Per slot, what every visit of a load, store or atomic proved; meaningful once <see cref="Run"/> accepted.</summary>
    public System.Collections.Immutable.ImmutableArray<AccessProof> AccessProofs => Proofs.ToProofs();

    /// <summary>
    /// An atomic's address is known to be naturally aligned: an offset whose known bits make it a multiple of the size, from a
    /// base the runtime aligns to 8 bytes — a stack frame, or a value of a map kind whose values start 8-byte aligned
    /// (arrays and hashes lay values out in rounded-up strides of 16-byte-aligned blocks, as the kernel does).
    /// </summary>
    private static bool IsKnownAligned(RegisterValue pointer, int offset, int size)
    {
        bool alignedBase = pointer.Kind switch
        {
            ValueKind.Stack => true,
            ValueKind.MapValue => pointer.Map?.Type is MapType.Array or MapType.PercpuArray or MapType.Hash or MapType.PercpuHash,
            _ => false,
        };
        return alignedBase && IsAlignedOffset(pointer, offset, size);
    }

    /// <summary>What an access through <paramref name="pointer"/> lacked when no bounds check proved it.</summary>
    private UnprovenReason WhyUnproven(RegisterValue pointer) => pointer.Kind switch
    {
        ValueKind.Context when _input.Context is { DataOffset: null, DataEndOffset: null, Fields.IsDefaultOrEmpty: true } => UnprovenReason.ContextNotModelled,
        ValueKind.Context => UnprovenReason.ContextOutsideStruct,
        ValueKind.Socket or ValueKind.SockCommon => UnprovenReason.SocketField,
        ValueKind.Unknown => UnprovenReason.UnknownPointer,
        ValueKind.Memory => UnprovenReason.CallerMemory,
        ValueKind.ReadOnlyMemory => UnprovenReason.ReadOnlyMemory,
        ValueKind.MapValue when pointer.Map is null => UnprovenReason.MapValueOfUnknownMap,
        ValueKind.MapKey when pointer.Map is null => UnprovenReason.RegionOfUnknownSize,
        // A stack access inside 512 bytes of a live frame is always proven; otherwise it was refused.
        ValueKind.Stack => UnprovenReason.DeadFrame,
        _ => UnprovenReason.Other,
    };
}

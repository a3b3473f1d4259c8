using System.Collections.Frozen;
using System.Collections.Immutable;
using SharpBpf.Btf;
using SpecialField = SharpBpf.Btf.SpecialField;
using SpecialFieldKind = SharpBpf.Btf.SpecialFieldKind;
using SharpBpf.Helpers;
using SharpBpf.Isa;
using SharpBpf.Maps;

namespace SharpBpf.Verifier;

/// <summary>
/// Everything the verifier needs to know about one linked program, in its own terms (the verifier does not read
/// loader blueprints): the instructions as libbpf hands them to the kernel, which lddw slots name which map,
/// where each subprogram starts and whether BTF calls it static, the context's layout and the helpers' signatures.
/// </summary>
internal sealed record VerifierInput
{
    public required string ProgramName { get; init; }

    /// <summary>The linked program: main function first, subprograms after it (libbpf's order).</summary>
    public required ImmutableArray<Instruction> Instructions { get; init; }

    /// <summary>Functions by start slot; the main program starts at slot 0.</summary>
    public required ImmutableArray<VerifierFunction> Functions { get; init; }

    /// <summary>The map an <c>lddw</c> at a slot refers to.</summary>
    public FrozenDictionary<int, VerifierMapReference> MapReferences { get; init; } = FrozenDictionary<int, VerifierMapReference>.Empty;

    public ContextLayout Context { get; init; } = ContextLayout.Opaque(0);

    /// <summary>Helper signatures by id; a helper without one is called but its arguments are not checked.</summary>
    public FrozenDictionary<int, HelperSignature> Helpers { get; init; } = FrozenDictionary<int, HelperSignature>.Empty;

    /// <summary>
    /// The program type (the kernel's <c>enum bpf_prog_type</c> number), which decides the helpers it may call
    /// (<see cref="HelperTable.IsOffered"/>); null (hand-built input) or a type whose helpers were not measured:
    /// availability is not checked.
    /// </summary>
    public uint? ProgramType { get; init; }

    /// <summary>The kernel's <c>enum bpf_attach_type</c> number the program is loaded for, where its section names one.</summary>
    public uint? ExpectedAttachType { get; init; }

    /// <summary>The license is GPL-compatible (the kernel's license_is_gpl_compatible); gpl_only helpers need it.</summary>
    public bool IsGplCompatible { get; init; } = true;

    /// <summary>Loaded with BPF_F_SLEEPABLE: helpers that might sleep may be called outside async callbacks.</summary>
    public bool IsSleepable { get; init; }

    /// <summary>
    /// Ids a host registered beyond the kernel's helpers (at or above <see cref="HelperTable.MaxId"/>): callable,
    /// where the kernel would answer "invalid func unknown#N".
    /// </summary>
    public System.Collections.Frozen.FrozenSet<int> HostHelperIds { get; init; } = System.Collections.Frozen.FrozenSet<int>.Empty;

    /// <summary>BTF func info is present (every function has a FUNC record), as the kernel requires for callbacks (R43).</summary>
    public bool HasFuncInfo { get; init; }

    /// <summary>
    /// The subprograms BTF declares global, by start slot, with their prototypes: each is verified once on its own and
    /// its calls are checked against the prototype (the main program is never one).
    /// </summary>
    internal FrozenDictionary<int, GlobalFunctionPrototype> GlobalFunctions { get; init; } = FrozenDictionary<int, GlobalFunctionPrototype>.Empty;
}

/// <summary>A function of the program: where it starts, and its BTF linkage when the object has func info.</summary>
internal readonly record struct VerifierFunction(string Name, int StartSlot, bool IsStatic);

/// <summary>A map as the verifier sees it: what the kernel's <c>struct bpf_map</c> tells its checks.</summary>
internal sealed record VerifierMap(string Name, MapType Type, int KeySize, int ValueSize,
    ImmutableArray<SpecialField> SpecialFields, bool IsReadOnly = false, VerifierMap? InnerMap = null, bool HasBtf = true, int MaxEntries = 0)
{
    /// <summary>The value's bytes at load for global data (a read-only map's format strings are read from them).</summary>
    public ImmutableArray<byte> InitialData { get; init; } = [];

    /// <summary>Offset of the (last, as the kernel caches it) special field of this kind, or null.</summary>
    public int? OffsetOf(SpecialFieldKind kind)
    {
        int? offset = null;
        foreach (var field in SpecialFields)
        {
            if (field.Kind == kind)
            {
                offset = (int)field.Offset;
            }
        }

        return offset;
    }
}

/// <summary>An lddw that loads a map (<see cref="IsValue"/> false) or the address of its value plus an offset (global data).</summary>
internal readonly record struct VerifierMapReference(VerifierMap Map, bool IsValue, int Offset);

/// <summary>Which context fields hold packet pointers (loads from them give packet / packet-end / meta pointers).</summary>
internal sealed record ContextLayout(int Size, int? DataOffset, int? DataEndOffset, int? DataMetaOffset)
{
    /// <summary>The program type may store into the packet (XDP, TC, …: the kernel's may_access_direct_pkt_data for writes).</summary>
    public bool PacketWritable { get; init; } = true;

    /// <summary>
    /// The runtime runs this type on a packet it builds (XDP, TC, socket filter), so the data pointers of its context
    /// are real: a packet access proven in bounds may run unchecked. Other types run on the caller's context bytes.
    /// </summary>
    public bool RunsOnPacket { get; init; } = true;

    /// <summary>
    /// The fields a program of this type may load and store; a context access that no field allows is refused as the
    /// kernel refuses it ("invalid bpf_context access"). Empty: the fields are not checked.
    /// </summary>
    public ImmutableArray<ContextField> Fields { get; init; } = [];

    /// <summary>
    /// An access a field allows is inside memory of the context's size at run time, so the verifier may prove it
    /// (false for tracing contexts, whose events may be shorter than the kernel's bound).
    /// </summary>
    public bool FieldsProveBounds { get; init; } = true;

    public static ContextLayout Opaque(int size) => new(size, null, null, null);
}

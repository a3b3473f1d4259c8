namespace SharpBpf.Verifier;

/// <summary>
/// The verifier's knowledge of one register (the kernel's <c>struct bpf_reg_state</c>, reduced): its kind; for a
/// scalar its range; for a pointer the fixed offset and the range of its variable offset, the map it points
/// into (and the inner-map instance, <see cref="MapUid"/>), the stack frame it addresses, the id shared by copies
/// of one maybe-NULL pointer, or the subprogram a function pointer names. A packet pointer's <see cref="PacketRange"/>
/// is the kernel's <c>r=</c>: how many bytes from the pointer (its fixed offset not counted) a comparison with
/// <c>data_end</c> proved readable; packet pointers with the same <see cref="Id"/> (copies of one variable-offset
/// pointer, or every pointer derived from <c>data</c> by constants, id 0) learn it together.
/// <see cref="Precise"/> is the kernel's precision mark, set only in the explored states kept for pruning: a scalar
/// whose value some later check relied on must be matched by range, any other scalar matches any scalar.
/// A scalar's <see cref="Id"/> links it to its copies (the kernel's linked scalar ids): a comparison that refines one
/// refines every register and spilled slot with the same id. <c>r2 = r1; r2 += c</c> keeps the link with
/// <see cref="LinkedWithOffset"/> set in the id and c in <see cref="Offset"/> (the kernel's BPF_ADD_CONST).
/// A dynptr's stack spill and its slices share <see cref="DynptrId"/> (the kernel's dynptr_id): destroying the dynptr
/// invalidates the slices.
/// A ring buffer record carries the kernel's <c>ref_obj_id</c> (<see cref="ReferenceId"/>: the reference the state must
/// release, shared by every copy) and <c>mem_size</c> (<see cref="MemorySize"/>: the bytes reserved).
/// </summary>
internal readonly record struct RegisterValue(
    ValueKind Kind,
    ScalarRange Range,
    long Offset = 0,
    VerifierMap? Map = null,
    int MapUid = 0,
    int Id = 0,
    int Frame = 0,
    int Subprogram = 0,
    int PacketRange = 0,
    bool Precise = false,
    int ReferenceId = 0,
    int MemorySize = 0,
    int DynptrId = 0)
{
    /// <summary>The kernel's AT_PKT_END: a packet pointer known to equal data_end (a later comparison's outcome is known).</summary>
    public const int AtPacketEnd = -1;

    /// <summary>The kernel's BEYOND_PKT_END: a packet pointer known to lie past data_end.</summary>
    public const int BeyondPacketEnd = -2;

    /// <summary>A scalar's id flag: this copy is the linked value plus <see cref="Offset"/>.</summary>
    public const int LinkedWithOffset = 1 << 30;

    /// <summary>The id a linked scalar shares with its copies, without the offset flag.</summary>
    public int LinkId => Id & ~LinkedWithOffset;

    public bool IsPacket => Kind is ValueKind.Packet or ValueKind.PacketMeta;

    /// <summary>A packet, meta or packet-end pointer (the kernel's reg_is_pkt_pointer_any).</summary>
    public bool IsPacketAny() => Kind is ValueKind.Packet or ValueKind.PacketMeta or ValueKind.PacketEnd;

    public static RegisterValue NotInit { get; } = new(ValueKind.NotInit, ScalarRange.Unbounded);

    public static RegisterValue UnknownScalar { get; } = new(ValueKind.Scalar, ScalarRange.Unbounded);

    public static RegisterValue Unmodelled { get; } = new(ValueKind.Unknown, ScalarRange.Unbounded);

    public static RegisterValue Scalar(ScalarRange range) => new(ValueKind.Scalar, range);

    public static RegisterValue Constant(ulong value) => new(ValueKind.Scalar, ScalarRange.Constant(value));

    public static RegisterValue Pointer(ValueKind kind, long offset = 0, VerifierMap? map = null, int mapUid = 0, int id = 0, int frame = 0) =>
        new(kind, ScalarRange.Zero, offset, map, mapUid, id, frame);

    public bool IsScalar => Kind == ValueKind.Scalar;

    public bool IsPointer => Kind.IsPointer();

    /// <summary>A pointer whose variable part is known exactly (zero): its offset is a constant.</summary>
    public bool HasConstantOffset => Range.IsConstant;

    /// <summary>The kernel's print of a linked scalar: <c>scalar(id=1+4,smin=...)</c>.</summary>
    private string LinkedScalarText()
    {
        string bounds = Range.ToString()["scalar(".Length..^1];
        string offset = (Id & LinkedWithOffset) == 0 ? "" : Offset < 0 ? $"{Offset}" : $"+{Offset}";
        return $"scalar(id={LinkId}{offset}{(bounds.Length > 0 ? "," + bounds : "")})";
    }

    public override string ToString()
    {
        var details = new List<string>(4);
        if (IsPacket && Id != 0)
        {
            details.Add($"id={Id}");
        }

        if (ReferenceId != 0)
        {
            details.Add($"ref_obj_id={ReferenceId}");
        }

        if (Map is not null)
        {
            details.Add($"map={Map.Name},ks={Map.KeySize},vs={Map.ValueSize}");
        }

        if (Offset != 0)
        {
            details.Add($"off={Offset}");
        }

        if (!Range.IsConstant || Range.Value != 0)
        {
            details.Add($"var={Range}");
        }

        if (IsPacket)
        {
            details.Add($"r={PacketRange}");
        }

        if (Kind is ValueKind.RingbufMemory or ValueKind.RingbufMemoryOrNull or ValueKind.Memory or ValueKind.MemoryOrNull
            or ValueKind.DynptrMemory or ValueKind.DynptrMemoryOrNull)
        {
            details.Add($"sz={MemorySize}");
        }

        return Kind switch
        {
            ValueKind.Scalar when Id == 0 || Range.IsConstant => Range.ToString(),
            ValueKind.Scalar => LinkedScalarText(),
            ValueKind.NotInit => "?",
            ValueKind.Function => $"func(subprog={Subprogram})",
            ValueKind.Stack when Range.IsConstant => $"fp{Offset + (long)Range.Value}",
            _ => $"{Kind.KernelName()}({string.Join(",", details)})",
        };
    }

}

namespace SharpBpf.Verifier;

/// <summary>What a register or spilled stack slot holds, as the kernel's <c>enum bpf_reg_type</c> tells them apart.</summary>
internal enum ValueKind : byte
{
    NotInit,
    Scalar,
    Context,
    Stack,
    MapPointer,
    MapPointerOrNull,
    MapValue,
    MapValueOrNull,
    MapKey,
    Packet,
    PacketMeta,
    PacketEnd,
    Function,
    /// <summary>Something this verifier does not model (a kfunc result, ring buffer memory…): never the cause of a rejection.</summary>
    Unknown,
}

internal static class ValueKindNames
{
    /// <summary>The kernel's <c>reg_type_str</c> spelling, as it appears in "R1 type=fp expected=map_value".</summary>
    public static string KernelName(this ValueKind kind) => kind switch
    {
        ValueKind.NotInit => "?",
        ValueKind.Scalar => "scalar",
        ValueKind.Context => "ctx",
        ValueKind.Stack => "fp",
        ValueKind.MapPointer => "map_ptr",
        ValueKind.MapPointerOrNull => "map_ptr_or_null",
        ValueKind.MapValue => "map_value",
        ValueKind.MapValueOrNull => "map_value_or_null",
        ValueKind.MapKey => "map_key",
        ValueKind.Packet => "pkt",
        ValueKind.PacketMeta => "pkt_meta",
        ValueKind.PacketEnd => "pkt_end",
        ValueKind.Function => "func",
        _ => "unknown",
    };

    public static bool IsPointer(this ValueKind kind) => kind is not (ValueKind.NotInit or ValueKind.Scalar or ValueKind.Unknown);

    /// <summary>Pointers the verifier knows are not NULL: comparing one with 0 has a known outcome.</summary>
    public static bool IsNonNullPointer(this ValueKind kind) =>
        kind.IsPointer() && kind is not (ValueKind.MapPointerOrNull or ValueKind.MapValueOrNull);
}

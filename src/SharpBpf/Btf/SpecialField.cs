using System.Collections.Immutable;

namespace SharpBpf.Btf;

/// <summary>The kernel's special map-value fields (<c>enum btf_field_type</c>), found by struct name or pointer type tag.</summary>
internal enum SpecialFieldKind
{
    SpinLock,
    ResSpinLock,
    Timer,
    Workqueue,
    TaskWork,
    ListHead,
    ListNode,
    RbRoot,
    RbNode,
    Refcount,
    /// <summary><c>__kptr_untrusted</c> pointer.</summary>
    KptrUntrusted,
    /// <summary><c>__kptr</c> (referenced) pointer.</summary>
    Kptr,
    PercpuKptr,
    Uptr,
}

/// <summary>Which special fields to look for; <see cref="MapValue"/> is what <c>map_check_btf</c> asks for.</summary>
[Flags]
internal enum SpecialFieldMask
{
    None = 0,
    SpinLock = 1 << 0,
    ResSpinLock = 1 << 1,
    Timer = 1 << 2,
    Workqueue = 1 << 3,
    TaskWork = 1 << 4,
    ListHead = 1 << 5,
    ListNode = 1 << 6,
    RbRoot = 1 << 7,
    RbNode = 1 << 8,
    Refcount = 1 << 9,
    Kptr = 1 << 10,
    Uptr = 1 << 11,
    MapValue = SpinLock | ResSpinLock | Timer | Kptr | ListHead | RbRoot | Refcount | Workqueue | Uptr | TaskWork,
}

/// <summary>The kernel's names of the special field kinds.</summary>
internal static class SpecialFieldKinds
{
    /// <summary>The struct that declares a field of this kind (<c>bpf_timer</c>); also the kernel's btf_field_type_name.</summary>
    public static string StructName(this SpecialFieldKind kind) => kind switch
    {
        SpecialFieldKind.SpinLock => "bpf_spin_lock",
        SpecialFieldKind.ResSpinLock => "bpf_res_spin_lock",
        SpecialFieldKind.Timer => "bpf_timer",
        SpecialFieldKind.Workqueue => "bpf_wq",
        SpecialFieldKind.TaskWork => "bpf_task_work",
        SpecialFieldKind.ListHead => "bpf_list_head",
        SpecialFieldKind.ListNode => "bpf_list_node",
        SpecialFieldKind.RbRoot => "bpf_rb_root",
        SpecialFieldKind.RbNode => "bpf_rb_node",
        SpecialFieldKind.Refcount => "bpf_refcount",
        _ => kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>One special field: its kind, byte offset from the start of the map value, and size.</summary>
internal readonly record struct SpecialField(SpecialFieldKind Kind, uint Offset, uint Size);

/// <summary>
/// What the kernel records for a map value type (<c>struct btf_record</c>). When <see cref="Problem"/> is set the
/// kernel's <c>btf_parse_fields</c> failed: map creation still succeeds, but NO special field is recorded
/// (so the verifier later says "map 'X' has no valid bpf_timer"); <see cref="Fields"/> is then empty and
/// <see cref="KernelError"/> holds the negative errno the kernel computed.
/// <see cref="Notes"/> explain fields that were silently ignored (wrong size, misaligned).
/// </summary>
internal sealed record SpecialFieldLayout(ImmutableArray<SpecialField> Fields, string? Problem, int KernelError, ImmutableArray<string> Notes)
{
    public static SpecialFieldLayout Empty { get; } = new([], null, 0, []);

    public bool IsValid => Problem is null;

    public bool Has(SpecialFieldKind kind) => Fields.Any(f => f.Kind == kind);

    /// <summary>Offset of the (last, as the kernel caches it) field of this kind, or null.</summary>
    public uint? OffsetOf(SpecialFieldKind kind)
    {
        uint? offset = null;
        foreach (var field in Fields)
            if (field.Kind == kind)
                offset = field.Offset;
        return offset;
    }

    public uint? TimerOffset => OffsetOf(SpecialFieldKind.Timer);

    public uint? SpinLockOffset => OffsetOf(SpecialFieldKind.SpinLock);
}

using System.Collections.Immutable;

namespace SharpBpf.Btf;

/// <summary>
/// The kernel's special map-value fields (<c>enum btf_field_type</c>), found in a value's BTF by struct name or
/// pointer type tag: kernel-managed bytes that programs reach only through helpers and that read as zero from the host.
/// </summary>
public enum SpecialFieldKind
{
    /// <summary><c>struct bpf_spin_lock</c> (4 bytes).</summary>
    SpinLock,
    /// <summary><c>struct bpf_res_spin_lock</c> (4 bytes), the resilient lock of the kfuncs.</summary>
    ResSpinLock,
    /// <summary><c>struct bpf_timer</c> (16 bytes).</summary>
    Timer,
    /// <summary><c>struct bpf_wq</c> (16 bytes).</summary>
    Workqueue,
    /// <summary><c>struct bpf_task_work</c>.</summary>
    TaskWork,
    /// <summary><c>struct bpf_list_head</c> (16 bytes).</summary>
    ListHead,
    /// <summary><c>struct bpf_list_node</c> (24 bytes; in allocated objects, not map values).</summary>
    ListNode,
    /// <summary><c>struct bpf_rb_root</c> (16 bytes).</summary>
    RbRoot,
    /// <summary><c>struct bpf_rb_node</c> (32 bytes; in allocated objects, not map values).</summary>
    RbNode,
    /// <summary><c>struct bpf_refcount</c> (4 bytes).</summary>
    Refcount,
    /// <summary>A <c>__kptr_untrusted</c> pointer (8 bytes).</summary>
    KptrUntrusted,
    /// <summary>A <c>__kptr</c> (referenced) pointer (8 bytes).</summary>
    Kptr,
    /// <summary>A <c>__percpu_kptr</c> pointer (8 bytes).</summary>
    PercpuKptr,
    /// <summary>A <c>__uptr</c> user pointer (8 bytes).</summary>
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

/// <summary>
/// One special field of a map value: its kind, byte offset from the start of the value, and size. The loader finds
/// them in the value's BTF (<c>SpecialFieldLocator</c>); maps and the verifier take them as plain data. Its bytes read
/// as zero from the host and are never written by value copies.
/// </summary>
public readonly record struct SpecialField(SpecialFieldKind Kind, int Offset, int Size)
{
    /// <summary>A <c>bpf_timer</c> at byte <paramref name="offset"/> of the value.</summary>
    public static SpecialField Timer(int offset) => new(SpecialFieldKind.Timer, offset, 16);
    /// <summary>A <c>bpf_spin_lock</c> at byte <paramref name="offset"/> of the value.</summary>
    public static SpecialField SpinLock(int offset) => new(SpecialFieldKind.SpinLock, offset, 4);
    /// <summary>A <c>bpf_wq</c> at byte <paramref name="offset"/> of the value.</summary>
    public static SpecialField Workqueue(int offset) => new(SpecialFieldKind.Workqueue, offset, 16);
}

/// <summary>
/// What the kernel records for a map value type (<c>struct btf_record</c>). When <see cref="Problem"/> is set the
/// kernel's <c>btf_parse_fields</c> failed: map creation still succeeds, but NO special field is recorded
/// (so the verifier later says "map 'X' has no valid bpf_timer"; one exception, measured on 6.18 and not modelled: two
/// bpf_spin_locks in one struct make the kernel refuse the object's whole BTF at load, E2BIG, so libbpf creates every
/// map without BTF and the verifier says "has to have BTF"); <see cref="Fields"/> is then empty and
/// <see cref="KernelError"/> holds the negative errno the kernel computed.
/// <see cref="Notes"/> explain fields that were silently ignored (wrong size, misaligned).
/// </summary>
internal sealed record SpecialFieldLayout(ImmutableArray<SpecialField> Fields, string? Problem, int KernelError, ImmutableArray<string> Notes)
{
    public static SpecialFieldLayout Empty { get; } = new([], null, 0, []);

    public bool IsValid => Problem is null;

    public bool Has(SpecialFieldKind kind) => Fields.Any(f => f.Kind == kind);

    /// <summary>Offset of the (last, as the kernel caches it) field of this kind, or null.</summary>
    public int? OffsetOf(SpecialFieldKind kind)
    {
        int? offset = null;
        foreach (var field in Fields)
            if (field.Kind == kind)
                offset = field.Offset;
        return offset;
    }

    public int? TimerOffset => OffsetOf(SpecialFieldKind.Timer);

    public int? SpinLockOffset => OffsetOf(SpecialFieldKind.SpinLock);
}

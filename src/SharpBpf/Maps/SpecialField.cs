namespace SharpBpf.Maps;

/// <summary>Kinds of kernel-managed fields inside a map value (the kernel's <c>btf_field_type</c> subset that matters here).</summary>
public enum SpecialFieldKind
{
    /// <summary><c>struct bpf_spin_lock</c> (4 bytes).</summary>
    SpinLock,
    /// <summary><c>struct bpf_timer</c> (16 bytes).</summary>
    Timer,
    /// <summary><c>struct bpf_wq</c> (16 bytes).</summary>
    Workqueue,
    /// <summary>A kernel pointer (<c>__kptr</c>, <c>__kptr_untrusted</c>, <c>__percpu_kptr</c>).</summary>
    Kptr,
    /// <summary><c>struct bpf_list_head</c>.</summary>
    ListHead,
    /// <summary><c>struct bpf_rb_root</c>.</summary>
    RbRoot,
    /// <summary><c>struct bpf_refcount</c>.</summary>
    Refcount,
    /// <summary><c>struct bpf_task_work</c>.</summary>
    TaskWork,
}

/// <summary>
/// One special field of a map value: where it is and how big. Computed from BTF by the loader (the Btf folder);
/// Maps takes it as plain data. Its bytes read as zero from the host and are never written by value copies.
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

namespace SharpBpf.Maps;

/// <summary>Kinds of kernel-managed fields inside a map value (the kernel's <c>btf_field_type</c> subset that matters here).</summary>
public enum SpecialFieldKind
{
    SpinLock,
    Timer,
    Workqueue,
    Kptr,
    ListHead,
    RbRoot,
    Refcount,
    TaskWork,
}

/// <summary>
/// One special field of a map value: where it is and how big. Computed from BTF by the loader (the Btf folder);
/// Maps takes it as plain data. Its bytes read as zero from the host and are never written by value copies.
/// </summary>
public readonly record struct SpecialField(SpecialFieldKind Kind, int Offset, int Size)
{
    public static SpecialField Timer(int offset) => new(SpecialFieldKind.Timer, offset, 16);
    public static SpecialField SpinLock(int offset) => new(SpecialFieldKind.SpinLock, offset, 4);
    public static SpecialField Workqueue(int offset) => new(SpecialFieldKind.Workqueue, offset, 16);
}

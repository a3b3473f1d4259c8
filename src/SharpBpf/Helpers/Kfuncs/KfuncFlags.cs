namespace SharpBpf.Helpers.Kfuncs;

/// <summary>The kernel's <c>KF_*</c> flags of a kfunc (include/linux/btf.h), as far as SharpBpf's verifier uses them.</summary>
[Flags]
internal enum KfuncFlags
{
    None = 0,

    /// <summary>KF_ACQUIRE: the result holds a reference the program must release.</summary>
    Acquire = 1 << 0,

    /// <summary>KF_RELEASE: the argument's reference is released.</summary>
    Release = 1 << 1,

    /// <summary>KF_RET_NULL: the result may be NULL and must be checked.</summary>
    ReturnsNull = 1 << 2,

    /// <summary>KF_ITER_NEW: constructs the iterator its first argument points at (on the stack).</summary>
    IteratorNew = 1 << 3,

    /// <summary>KF_ITER_NEXT: advances an initialized iterator; NULL when it is drained.</summary>
    IteratorNext = 1 << 4,

    /// <summary>KF_ITER_DESTROY: ends an initialized iterator's life.</summary>
    IteratorDestroy = 1 << 5,

    /// <summary>KF_SLEEPABLE: only sleepable programs may call it.</summary>
    Sleepable = 1 << 6,
}

using System.Collections.Immutable;

namespace SharpBpf.Helpers;

/// <summary>
/// What a helper argument must be, in the verifier's terms (the kernel's <c>enum bpf_arg_type</c>, reduced to what the
/// built-in helpers use). Memory kinds are followed by the size argument that bounds them unless the argument has a
/// <see cref="HelperArgument.FixedSize"/>.
/// </summary>
internal enum HelperArgKind
{
    /// <summary>Any scalar or pointer (<c>ARG_ANYTHING</c>).</summary>
    Anything,
    /// <summary>A map the program references (<c>ARG_CONST_MAP_PTR</c>).</summary>
    ConstMapPointer,
    /// <summary>Readable memory of the map's key size (<c>ARG_PTR_TO_MAP_KEY</c>).</summary>
    MapKey,
    /// <summary>Readable memory of the map's value size (<c>ARG_PTR_TO_MAP_VALUE</c>).</summary>
    MapValue,
    /// <summary>Writable memory of the map's value size the helper fills (<c>ARG_PTR_TO_MAP_VALUE | MEM_UNINIT</c>).</summary>
    UninitMapValue,
    /// <summary>Readable memory sized by the next argument (<c>ARG_PTR_TO_MEM | MEM_RDONLY</c>).</summary>
    ReadableMemory,
    /// <summary>As <see cref="ReadableMemory"/>, or NULL with a zero size.</summary>
    ReadableMemoryOrNull,
    /// <summary>Memory the helper writes, sized by the next argument (<c>ARG_PTR_TO_UNINIT_MEM</c> / <c>ARG_PTR_TO_MEM</c>).</summary>
    WritableMemory,
    /// <summary>As <see cref="WritableMemory"/>, or NULL with a zero size (<c>ARG_PTR_TO_MEM_OR_NULL</c>).</summary>
    WritableMemoryOrNull,
    /// <summary>A known size greater than zero for the previous memory argument (<c>ARG_CONST_SIZE</c>).</summary>
    ConstSize,
    /// <summary>A known size, possibly zero (<c>ARG_CONST_SIZE_OR_ZERO</c>).</summary>
    ConstSizeOrZero,
    /// <summary>A known allocation size (<c>ARG_CONST_ALLOC_SIZE_OR_ZERO</c>, bpf_ringbuf_reserve).</summary>
    ConstAllocSizeOrZero,
    /// <summary>The program's context pointer (<c>ARG_PTR_TO_CTX</c>).</summary>
    Context,
    /// <summary>A subprogram (<c>ARG_PTR_TO_FUNC</c>): the callback of bpf_loop, for_each_map_elem, timers.</summary>
    CallbackFunction,
    /// <summary>A stack pointer or NULL handed through to a callback (<c>ARG_PTR_TO_STACK_OR_NULL</c>).</summary>
    StackOrNull,
    /// <summary>A <c>struct bpf_timer</c> inside a map value (<c>ARG_PTR_TO_TIMER</c>).</summary>
    Timer,
    /// <summary>A <c>struct bpf_spin_lock</c> inside a map value (<c>ARG_PTR_TO_SPIN_LOCK</c>).</summary>
    SpinLock,
    /// <summary>A ring buffer record from bpf_ringbuf_reserve, released by the call (<c>ARG_PTR_TO_RINGBUF_MEM | OBJ_RELEASE</c>).</summary>
    RingbufMemory,
    /// <summary>A NUL-terminated string in read-only map memory (<c>ARG_PTR_TO_CONST_STR</c>).</summary>
    ConstString,
}

/// <summary>What a helper returns (the kernel's <c>enum bpf_return_type</c>, reduced).</summary>
internal enum HelperReturnKind
{
    /// <summary>A scalar (<c>RET_INTEGER</c>).</summary>
    Integer,
    /// <summary>Nothing; r0 is undefined after the call (<c>RET_VOID</c>).</summary>
    Void,
    /// <summary>A pointer to a value of the map argument, or NULL (<c>RET_PTR_TO_MAP_VALUE_OR_NULL</c>).</summary>
    MapValueOrNull,
    /// <summary>Writable memory of the constant size argument, or NULL; must be released (<c>RET_PTR_TO_RINGBUF_MEM_OR_NULL</c>).</summary>
    RingbufMemoryOrNull,
}

/// <summary>One argument of a helper: its kind and, for fixed-size memory, its size in bytes.</summary>
internal readonly record struct HelperArgument(HelperArgKind Kind, int FixedSize = 0)
{
    public static implicit operator HelperArgument(HelperArgKind kind) => new(kind);
}

/// <summary>
/// The argument and return kinds of a helper: what the verifier checks at each call site. The engines do not read it.
/// </summary>
internal sealed record HelperSignature
{
    public HelperSignature(HelperReturnKind returns, params HelperArgument[] arguments)
    {
        if (arguments.Length > 5)
        {
            throw new ArgumentException("a helper takes at most five arguments (r1–r5)", nameof(arguments));
        }

        Returns = returns;
        Arguments = [.. arguments];
    }

    public HelperReturnKind Returns { get; }

    /// <summary>r1, r2, … in order; registers past the last argument are not read.</summary>
    public ImmutableArray<HelperArgument> Arguments { get; }

    /// <summary>A helper that may call back into the program (bpf_loop, for_each_map_elem, timers).</summary>
    public bool TakesCallback => Arguments.Any(a => a.Kind == HelperArgKind.CallbackFunction);

    public bool Equals(HelperSignature? other) =>
        other is not null && Returns == other.Returns && Arguments.SequenceEqual(other.Arguments);

    public override int GetHashCode() => HashCode.Combine(Returns, Arguments.Length);

    public override string ToString() => $"{Returns}({string.Join(", ", Arguments.Select(a => a.FixedSize > 0 ? $"{a.Kind}[{a.FixedSize}]" : a.Kind.ToString()))})";
}

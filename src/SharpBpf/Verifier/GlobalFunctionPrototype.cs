using System.Collections.Immutable;

namespace SharpBpf.Verifier;

/// <summary>
/// A global (non-static) function as the kernel reads its BTF prototype (btf_prepare_func_args): what each argument
/// register must hold at a call and holds when the function is verified on its own, or why the kernel cannot verify
/// the function at all (<see cref="Unsupported"/>, the line it prints before refusing every call).
/// </summary>
internal sealed record GlobalFunctionPrototype(ImmutableArray<GlobalArgument> Arguments, string? Unsupported = null);

/// <summary>One argument of a global function; <see cref="MemorySize"/> is the pointed-to type's size for memory.</summary>
internal readonly record struct GlobalArgument(GlobalArgumentKind Kind, int MemorySize = 0);

internal enum GlobalArgumentKind : byte
{
    /// <summary>An integer or enum (ARG_ANYTHING): the caller must pass a scalar.</summary>
    Scalar,

    /// <summary>A pointer to the program type's context struct, or tagged <c>__arg_ctx</c> (ARG_PTR_TO_CTX).</summary>
    Context,

    /// <summary>A pointer to a sized type, tagged <c>__arg_nonnull</c> (ARG_PTR_TO_MEM).</summary>
    Memory,

    /// <summary>A pointer to a sized type (ARG_PTR_TO_MEM | PTR_MAYBE_NULL): the callee must check it for NULL.</summary>
    MemoryOrNull,

    /// <summary>
    /// A <c>struct bpf_dynptr *</c> (ARG_PTR_TO_DYNPTR | MEM_RDONLY): the caller must pass an initialized dynptr; inside the
    /// function it is not modelled (the kernel's CONST_PTR_TO_DYNPTR).
    /// </summary>
    Dynptr,

    /// <summary>Kinds SharpBpf does not model (trusted kernel objects, arena): neither checked nor trusted.</summary>
    Unmodelled,
}

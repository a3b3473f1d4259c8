using System.Collections.Immutable;
using SharpBpf.Btf;
using SharpBpf.Loader;
using SharpBpf.Verifier;

namespace SharpBpf.Runtime;

/// <summary>
/// Reads a global function's BTF prototype as Linux 6.18's btf_prepare_func_args does: integers and enums are
/// scalars; a pointer to the program type's context struct (or tagged <c>arg:ctx</c>) is the context; any other
/// pointer to a sized type is memory of that size that may be NULL (unless tagged <c>arg:nonnull</c>). The function
/// must return an integer or an enum. Messages measured on Linux 6.18.44 (Data/generated, global_*).
/// </summary>
internal static class GlobalFunctionPrototypes
{
    private const int MaxArguments = 5;

    public static GlobalFunctionPrototype Read(BtfSpec btf, BtfFunction function, ProgramType programType)
    {
        if (btf[function.ProtoId] is not BtfFunctionProto proto)
        {
            return Unsupported($"BTF of func {function.Name} is not a function prototype");
        }

        if (proto.Parameters.Length > MaxArguments)
        {
            return Unsupported($"Global function {function.Name}() with {proto.Parameters.Length} > {MaxArguments} args. Buggy compiler.");
        }

        if (btf.SkipQualifiersAndTypedefs(proto.ReturnTypeId) is not (BtfInt or BtfEnum))
        {
            return Unsupported($"Global function {function.Name}() doesn't return scalar. Only those are supported.");
        }

        var arguments = ImmutableArray.CreateBuilder<GlobalArgument>(proto.Parameters.Length);
        for (var i = 0; i < proto.Parameters.Length; i++)
        {
            var tags = TagsOf(btf, function.Id, i);
            var type = btf.SkipQualifiersAndTypedefs(proto.Parameters[i].TypeId);
            if (tags.Contains("ctx") || (type is BtfPointer pointer && IsContextStruct(btf, pointer.TargetId, programType)))
            {
                arguments.Add(new GlobalArgument(GlobalArgumentKind.Context));
                continue;
            }

            if (tags.Any(tag => tag is not "nonnull"))
            {
                arguments.Add(new GlobalArgument(GlobalArgumentKind.Unmodelled));
                continue;
            }

            switch (type)
            {
                case BtfPointer dynptr when btf.SkipQualifiersAndTypedefs(dynptr.TargetId) is BtfStruct { Name: "bpf_dynptr" }:
                    arguments.Add(new GlobalArgument(GlobalArgumentKind.Dynptr));
                    break;
                case BtfPointer target:
                    var pointee = btf.SkipQualifiersAndTypedefs(target.TargetId);
                    if (!btf.TrySizeOf(pointee.Id, out long size) || pointee is BtfVoid)
                    {
                        return Unsupported($"arg#{i} reference type('{KernelKindName(pointee)} {pointee.Name}') size cannot be determined: -22");
                    }

                    arguments.Add(new GlobalArgument(tags.Contains("nonnull") ? GlobalArgumentKind.Memory : GlobalArgumentKind.MemoryOrNull, (int)size));
                    break;
                case BtfInt or BtfEnum when tags.Count == 0:
                    arguments.Add(new GlobalArgument(GlobalArgumentKind.Scalar));
                    break;
                default:
                    return Unsupported($"Arg#{i} type {KernelKindName(type)} in {function.Name}() is not supported yet.");
            }
        }

        return new GlobalFunctionPrototype(arguments.ToImmutable());
    }

    private static GlobalFunctionPrototype Unsupported(string reason) => new([], reason);

    /// <summary>The <c>arg:NAME</c> decl tags on argument <paramref name="index"/> of the function (<c>__arg_ctx</c>, <c>__arg_nonnull</c>, …).</summary>
    private static List<string> TagsOf(BtfSpec btf, uint functionId, int index) =>
        [.. btf.Types.OfType<BtfDeclTag>()
            .Where(tag => tag.TargetId == functionId && tag.ComponentIndex == index && tag.Name.StartsWith("arg:", StringComparison.Ordinal))
            .Select(tag => tag.Name["arg:".Length..])];

    /// <summary>The kernel's btf_is_prog_ctx_type: the pointed-to struct bears the program type's context name.</summary>
    private static bool IsContextStruct(BtfSpec btf, uint targetId, ProgramType programType)
    {
        var target = btf.SkipQualifiers(targetId);
        if (programType == ProgramType.Kprobe && target is BtfTypedef { Name: "bpf_user_pt_regs_t" })
        {
            return true;
        }

        return btf.SkipQualifiersAndTypedefs(targetId) is BtfStruct { Name: var name } && name == ContextStructName(programType);
    }

    /// <summary>The UAPI context struct of each program type (the kernel's bpf_types.h).</summary>
    private static string? ContextStructName(ProgramType type) => type switch
    {
        ProgramType.SocketFilter or ProgramType.SchedCls or ProgramType.SchedAct or ProgramType.CgroupSkb or ProgramType.LwtIn
            or ProgramType.LwtOut or ProgramType.LwtXmit or ProgramType.LwtSeg6Local or ProgramType.SkSkb
            or ProgramType.FlowDissector => "__sk_buff",
        ProgramType.Xdp => "xdp_md",
        ProgramType.CgroupSock => "bpf_sock",
        ProgramType.CgroupSockAddr => "bpf_sock_addr",
        ProgramType.SockOps => "bpf_sock_ops",
        ProgramType.CgroupDevice => "bpf_cgroup_dev_ctx",
        ProgramType.SkMsg => "sk_msg_md",
        ProgramType.Kprobe => "pt_regs",
        ProgramType.PerfEvent => "bpf_perf_event_data",
        ProgramType.RawTracepoint or ProgramType.RawTracepointWritable => "bpf_raw_tracepoint_args",
        ProgramType.CgroupSysctl => "bpf_sysctl",
        ProgramType.CgroupSockopt => "bpf_sockopt",
        ProgramType.SkReuseport => "sk_reuseport_md",
        ProgramType.SkLookup => "bpf_sk_lookup",
        ProgramType.Netfilter => "bpf_nf_ctx",
        _ => null,
    };

    /// <summary>The kernel's btf_type_str, with "UNKNOWN" for void as its log shows.</summary>
    private static string KernelKindName(BtfType type) => type switch
    {
        BtfInt => "INT",
        BtfPointer => "PTR",
        BtfArray => "ARRAY",
        BtfStruct => "STRUCT",
        BtfUnion => "UNION",
        BtfEnum { Is64: true } => "ENUM64",
        BtfEnum => "ENUM",
        BtfForward => "FWD",
        BtfFunctionProto => "FUNC_PROTO",
        BtfFloat => "FLOAT",
        _ => "UNKNOWN",
    };
}

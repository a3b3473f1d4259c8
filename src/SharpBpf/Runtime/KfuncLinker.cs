using SharpBpf.Btf;
using SharpBpf.Helpers.Kfuncs;
using SharpBpf.Isa;
using SharpBpf.Loader;

namespace SharpBpf.Runtime;

/// <summary>
/// Resolves a program's kfunc references (<see cref="ProgramSpec.KfuncReferences"/>) against the kfuncs SharpBpf
/// implements, as libbpf resolves them against the kernel's BTF (<c>bpf_object__resolve_ksym_func_btf_id</c>): the
/// name must be there and the object's prototype compatible with it (libbpf's <c>bpf_core_types_are_compat</c>), else
/// the object is refused with libbpf's words; an unresolved <c>__weak</c> one stays 0 (a call the verifier must find
/// dead, an address that reads 0). A resolved call gets the kfunc's id, a resolved address load a non-zero constant.
/// </summary>
internal static class KfuncLinker
{
    /// <summary>Refuses the program, with libbpf's words, when a strong kfunc is unknown or declared incompatibly.</summary>
    public static void Check(CollectionSpec collection, ProgramSpec program)
    {
        if (Problem(collection, program) is { } problem)
        {
            throw new ObjectLoadException(problem.Reason, sectionName: program.ElfSectionName,
                offset: program.SectionOffset + (long)problem.Slot * Instruction.Size, symbolName: problem.Name);
        }
    }

    /// <summary>The first reference libbpf would refuse the object for, with its words, or null.</summary>
    public static (int Slot, string Name, string Reason)? Problem(CollectionSpec collection, ProgramSpec program)
    {
        foreach (var reference in program.KfuncReferences)
        {
            string? reason = null;
            if (KfuncTable.TryGet(reference.Name, out var kfunc))
            {
                reason = PrototypeProblem(collection.Btf, reference, kfunc);
            }
            else if (!reference.IsWeak)
            {
                string why = KfuncTable.NotImplemented.TryGetValue(reference.Name, out var notImplemented)
                    ? $"Linux offers it, SharpBpf does not implement it: {notImplemented}"
                    : "SharpBpf does not implement it";
                reason = $"extern (func ksym) '{reference.Name}': not found in kernel or module BTFs ({why})";
            }

            if (reason is not null)
            {
                return (reference.Slot, reference.Name, reason);
            }
        }

        return null;
    }

    /// <summary>The program with every resolved kfunc reference filled in.</summary>
    public static Instruction[] Apply(ProgramSpec program, Instruction[] code)
    {
        foreach (var reference in program.KfuncReferences)
        {
            if (KfuncTable.TryGet(reference.Name, out var kfunc))
            {
                code[reference.Slot] = code[reference.Slot].WithImmediate(kfunc.Id);
            }
        }

        return code;
    }

    private static string? PrototypeProblem(BtfSpec? btf, KfuncReference reference, KfuncInfo kfunc)
    {
        if (btf is null || reference.BtfTypeId >= btf.Types.Count || btf[reference.BtfTypeId] is not BtfFunction function
            || btf[function.ProtoId] is not BtfFunctionProto proto)
        {
            return null;
        }

        bool compatible = proto.Parameters.Length == kfunc.Prototype.Parameters.Length && !proto.IsVariadic
            && Compatible(btf, proto.ReturnTypeId, kfunc.Prototype.Return)
            && proto.Parameters.Select((p, i) => Compatible(btf, p.TypeId, kfunc.Prototype.Parameters[i])).All(ok => ok);
        return compatible ? null
            : $"extern (func ksym) '{reference.Name}': func_proto [{function.ProtoId}] incompatible with kernel (SharpBpf's {kfunc.Name}: {kfunc.Prototype})";
    }

    /// <summary>libbpf's rule: kinds must agree; integers, structs and unions are compatible with their kind; pointers by pointee.</summary>
    private static bool Compatible(BtfSpec btf, uint typeId, KfuncType expected)
    {
        var type = btf.SkipQualifiersAndTypedefs(typeId);
        return (type, expected.Kind) switch
        {
            (BtfVoid, KfuncTypeKind.Void) => true,
            (BtfInt integer, KfuncTypeKind.Integer) => integer.BitOffset == 0,
            (BtfStruct or BtfUnion or BtfForward, KfuncTypeKind.Struct) => true,
            (BtfPointer pointer, KfuncTypeKind.Pointer) => Compatible(btf, pointer.TargetId, expected.Pointee!),
            _ => false,
        };
    }
}

using System.Text;

namespace SharpBpf.Btf.Internal;

/// <summary>C-like display names. Not a full C declarator printer: pointers to arrays print as <c>int[4] *</c>.</summary>
internal static class BtfTypeNames
{
    // Function prototypes can refer to each other through pointers without bound; a budget keeps names finite.
    private const int Budget = 4096;

    [ThreadStatic]
    private static int t_remaining;

    public static string Of(BtfSpec spec, uint id)
    {
        t_remaining = Budget;
        return Of(spec, id, 0);
    }

    private static string Of(BtfSpec spec, uint id, int depth)
    {
        if (depth > BtfValidator.MaxChainLength + BtfValidator.MaxNestingDepth || --t_remaining < 0)
            return "...";
        var type = spec[id];
        switch (type)
        {
            case BtfVoid: return "void";
            case BtfInt or BtfFloat or BtfTypedef: return type.Name;
            case BtfStruct: return "struct " + NameOrAnon(type);
            case BtfUnion: return "union " + NameOrAnon(type);
            case BtfEnum: return "enum " + NameOrAnon(type);
            case BtfForward forward: return (forward.IsUnion ? "union " : "struct ") + type.Name;
            case BtfPointer pointer:
            {
                var target = spec[pointer.TargetId];
                if (target is BtfFunctionProto proto)
                    return $"{Of(spec, proto.ReturnTypeId, depth + 1)} (*)({Parameters(spec, proto, depth)})";
                var inner = Of(spec, pointer.TargetId, depth + 1);
                return inner.EndsWith('*') ? inner + "*" : inner + " *";
            }
            case BtfArray:
            {
                var dims = new StringBuilder();
                var current = type;
                while (current is BtfArray array)
                {
                    dims.Append('[').Append(array.Count).Append(']');
                    current = spec[array.ElementTypeId];
                }
                return Of(spec, current.Id, depth + 1) + dims;
            }
            case BtfConst c: return Qualify(spec, "const", c.TargetId, depth);
            case BtfVolatile v: return Qualify(spec, "volatile", v.TargetId, depth);
            case BtfRestrict r: return Qualify(spec, "restrict", r.TargetId, depth);
            case BtfTypeTag tag: return Of(spec, tag.TargetId, depth + 1);
            case BtfFunction function: return function.Name;
            case BtfFunctionProto proto: return $"{Of(spec, proto.ReturnTypeId, depth + 1)} ({Parameters(spec, proto, depth)})";
            case BtfVariable variable: return Of(spec, variable.TypeId, depth + 1);
            case BtfDataSection section: return $"SEC(\"{section.Name}\")";
            default: return type.Name;
        }
    }

    private static string Qualify(BtfSpec spec, string qualifier, uint target, int depth)
    {
        var inner = Of(spec, target, depth + 1);
        return spec.SkipQualifiers(target) is BtfPointer ? $"{inner} {qualifier}" : $"{qualifier} {inner}";
    }

    private static string Parameters(BtfSpec spec, BtfFunctionProto proto, int depth)
    {
        var parts = proto.Parameters.Select(p => Of(spec, p.TypeId, depth + 1)).ToList();
        if (proto.IsVariadic)
            parts.Add("...");
        return parts.Count == 0 ? "void" : string.Join(", ", parts);
    }

    private static string NameOrAnon(BtfType type) => type.IsAnonymous ? "(anon)" : type.Name;
}

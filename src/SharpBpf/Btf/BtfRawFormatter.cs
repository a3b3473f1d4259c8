using System.Globalization;
using System.Text;

namespace SharpBpf.Btf;

/// <summary>
/// Prints a <see cref="BtfSpec"/> exactly as <c>bpftool btf dump file X format raw</c> does, one type per line
/// plus one indented line per member, enumerator, parameter or section entry. Used for golden tests and by
/// <c>sharpbpf show</c>. Does not print the C format (<c>format c</c>).
/// </summary>
internal static class BtfRawFormatter
{
    public static string Format(BtfSpec spec)
    {
        var text = new StringBuilder();
        for (uint id = 1; id < spec.Types.Count; id++)
            Append(text, spec, spec[id]);
        return text.ToString();
    }

    private static string Quoted(string name) => $"'{(name.Length == 0 ? "(anon)" : name)}'";

    private static void Append(StringBuilder text, BtfSpec spec, BtfType type)
    {
        var inv = CultureInfo.InvariantCulture;
        text.Append('[').Append(type.Id).Append("] ").Append(KindName(type.Kind)).Append(' ').Append(Quoted(type.Name));
        switch (type)
        {
            case BtfInt t:
                text.Append(inv, $" size={t.Size} bits_offset={t.BitOffset} nr_bits={t.Bits} encoding=")
                    .Append(t.IsSigned ? "SIGNED" : t.IsChar ? "CHAR" : t.IsBool ? "BOOL" : "(none)").Append('\n');
                break;
            case BtfTypeTag tag:
                text.Append(inv, $" type_id={tag.TargetId}").Append(tag.IsAttribute ? " kflag=1\n" : "\n");
                break;
            case BtfReferenceType reference:
                text.Append(inv, $" type_id={reference.TargetId}\n");
                break;
            case BtfArray array:
                text.Append(inv, $" type_id={array.ElementTypeId} index_type_id={array.IndexTypeId} nr_elems={array.Count}\n");
                break;
            case BtfComposite composite:
                text.Append(inv, $" size={composite.Size} vlen={composite.Members.Length}\n");
                foreach (var m in composite.Members)
                {
                    text.Append('\t').Append(Quoted(m.Name)).Append(inv, $" type_id={m.TypeId} bits_offset={m.BitOffset}");
                    if (m.IsBitfield)
                        text.Append(inv, $" bitfield_size={m.BitfieldSize}");
                    text.Append('\n');
                }
                break;
            case BtfEnum e:
                text.Append(" encoding=").Append(e.IsSigned ? "SIGNED" : "UNSIGNED").Append(inv, $" size={e.Size} vlen={e.Values.Length}\n");
                foreach (var v in e.Values)
                {
                    text.Append('\t').Append(Quoted(v.Name)).Append(" val=");
                    if (e.Is64)
                        text.Append(e.IsSigned ? v.Value.ToString(inv) + "LL" : ((ulong)v.Value).ToString(inv) + "ULL");
                    else
                        text.Append(e.IsSigned ? v.Value.ToString(inv) : ((uint)v.Value).ToString(inv));
                    text.Append('\n');
                }
                break;
            case BtfForward forward:
                text.Append(" fwd_kind=").Append(forward.IsUnion ? "union" : "struct").Append('\n');
                break;
            case BtfFunction function:
                text.Append(inv, $" type_id={function.ProtoId} linkage=").Append(function.Linkage.ToString().ToLowerInvariant()).Append('\n');
                break;
            case BtfFunctionProto proto:
                text.Append(inv, $" ret_type_id={proto.ReturnTypeId} vlen={proto.Parameters.Length + (proto.IsVariadic ? 1 : 0)}\n");
                foreach (var p in proto.Parameters)
                    text.Append('\t').Append(Quoted(p.Name)).Append(inv, $" type_id={p.TypeId}\n");
                if (proto.IsVariadic)
                    text.Append("\t'(anon)' type_id=0\n");
                break;
            case BtfVariable variable:
                text.Append(inv, $" type_id={variable.TypeId}, linkage=").Append(variable.Linkage switch
                {
                    BtfVariableLinkage.Static => "static",
                    BtfVariableLinkage.GlobalAllocated => "global",
                    _ => "extern",
                }).Append('\n');
                break;
            case BtfDataSection section:
                text.Append(inv, $" size={section.Size} vlen={section.Variables.Length}\n");
                foreach (var v in section.Variables)
                {
                    var target = spec[v.TypeId];
                    text.Append(inv, $"\ttype_id={v.TypeId} offset={v.Offset} size={v.Size} (")
                        .Append(KindName(target.Kind)).Append(' ').Append(Quoted(target.Name)).Append(")\n");
                }
                break;
            case BtfFloat f:
                text.Append(inv, $" size={f.Size}\n");
                break;
            case BtfDeclTag tag:
                text.Append(inv, $" type_id={tag.TargetId} component_idx={tag.ComponentIndex}").Append(tag.IsAttribute ? " kflag=1\n" : "\n");
                break;
            default:
                text.Append('\n');
                break;
        }
    }

    /// <summary>The kernel's kind name: <c>INT</c>, <c>PTR</c>, <c>FUNC_PROTO</c>, <c>DATASEC</c>, …</summary>
    public static string KindName(BtfKind kind) => kind switch
    {
        BtfKind.Void => "UNKNOWN",
        BtfKind.Int => "INT",
        BtfKind.Pointer => "PTR",
        BtfKind.Array => "ARRAY",
        BtfKind.Struct => "STRUCT",
        BtfKind.Union => "UNION",
        BtfKind.Enum => "ENUM",
        BtfKind.Forward => "FWD",
        BtfKind.Typedef => "TYPEDEF",
        BtfKind.Volatile => "VOLATILE",
        BtfKind.Const => "CONST",
        BtfKind.Restrict => "RESTRICT",
        BtfKind.Function => "FUNC",
        BtfKind.FunctionProto => "FUNC_PROTO",
        BtfKind.Variable => "VAR",
        BtfKind.DataSection => "DATASEC",
        BtfKind.Float => "FLOAT",
        BtfKind.DeclTag => "DECL_TAG",
        BtfKind.TypeTag => "TYPE_TAG",
        BtfKind.Enum64 => "ENUM64",
        _ => "UNKNOWN",
    };
}

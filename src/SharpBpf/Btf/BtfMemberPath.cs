namespace SharpBpf.Btf;

/// <summary>
/// Finds a member inside a value by its C path (<c>packets</c>, <c>key.src_addr</c>, <c>history[3]</c>): its type and
/// byte offset, looking into anonymous struct and union members as C does.
/// </summary>
public static class BtfMemberPath
{
    /// <summary>The type and byte offset of the member at <paramref name="path"/> inside a value of type <paramref name="typeId"/>.</summary>
    /// <exception cref="ArgumentException">The path names a member the type does not have (the message lists the members it has), or indexes past an array.</exception>
    public static (uint TypeId, int Offset) Resolve(BtfSpec spec, uint typeId, string path)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var offset = 0;
        foreach (var part in path.Split('.'))
        {
            var name = part;
            var index = -1;
            if (part.EndsWith(']') && part.IndexOf('[', StringComparison.Ordinal) is var open and > 0)
            {
                name = part[..open];
                index = int.Parse(part[(open + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
            }

            if (spec.SkipQualifiersAndTypedefs(typeId) is not BtfComposite composite)
            {
                throw new ArgumentException($"{path}: {spec.TypeName(typeId)} has no members (at '{part}')");
            }

            var found = BtfValueEncoder.FindMember(spec, composite, name)
                ?? throw new ArgumentException($"{path}: {spec.TypeName(typeId)} has no member {name} (it has {string.Join(", ", composite.Members.Select(m => m.Name).Where(n => n.Length > 0))})");
            if (found.Member.IsBitfield) throw new ArgumentException($"{path}: {name} is a bitfield, not addressable by bytes");
            offset += (int)(found.BitOffset / 8);
            typeId = found.Member.TypeId;
            if (index >= 0)
            {
                if (spec.SkipQualifiersAndTypedefs(typeId) is not BtfArray array || index >= array.Count || !spec.TrySizeOf(array.ElementTypeId, out var size))
                {
                    throw new ArgumentException($"{path}: {name} is not an array with an element {index}");
                }

                offset += (int)(index * size);
                typeId = array.ElementTypeId;
            }
        }

        return (typeId, offset);
    }
}

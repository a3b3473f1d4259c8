using SharpBpf.Btf.Internal;

namespace SharpBpf.Btf;

/// <summary>
/// A parsed, validated <c>.BTF</c> section: the type table (index = type id, 0 = void) and the string table,
/// with the queries a loader, verifier, map dumper and CLI need. Immutable and safe to share between threads.
/// Every type id reachable from <see cref="Types"/> is valid, reference chains are acyclic and sizes are
/// precomputed, so queries never recurse without bound.
/// Deliberately does not: know about kernel (vmlinux) BTF, rewrite types (no dedup, no CO-RE sanitizing),
/// or interpret map definitions (the loader does that from these types).
/// </summary>
public sealed class BtfSpec
{
    private readonly BtfType[] _types;
    private readonly long[] _offsets;
    private readonly long[] _sizes;
    private readonly int[] _alignments; // -1 = not computed yet; races are benign (same value, atomic int writes)
    private readonly Dictionary<string, uint[]> _byName;

    internal BtfSpec(BtfType[] types, long[] offsets, BtfStringTable strings)
    {
        _types = types;
        _offsets = offsets;
        Strings = strings;
        _byName = types.Skip(1).Where(t => !t.IsAnonymous)
            .GroupBy(t => t.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(t => t.Id).ToArray(), StringComparer.Ordinal);
        _sizes = BtfValidator.Validate(this);
        _alignments = new int[types.Length];
        Array.Fill(_alignments, -1);
    }

    /// <summary>Parses a raw <c>.BTF</c> section; see <see cref="BtfReader"/>.</summary>
    public static BtfSpec Parse(ReadOnlySpan<byte> blob) => BtfReader.Read(blob);

    /// <summary>All types, indexed by type id; <c>Types[0]</c> is <see cref="BtfVoid"/>.</summary>
    public IReadOnlyList<BtfType> Types => _types;

    internal BtfStringTable Strings { get; }

    /// <summary>The type with this id; <see cref="ArgumentOutOfRangeException"/> when there is none.</summary>
    public BtfType this[uint id] => id < (uint)_types.Length
        ? _types[id]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"no BTF type with id {id} (the BTF has {_types.Length - 1} types)");

    /// <summary>The byte offset of type <paramref name="id"/>'s record within the <c>.BTF</c> section (-1 for void).</summary>
    public long OffsetOf(uint id) => id < (uint)_offsets.Length ? _offsets[id] : -1;

    /// <summary>The first type (lowest id) with this name, of any kind.</summary>
    public bool TryGetByName(string name, out BtfType type)
    {
        if (_byName.TryGetValue(name, out var ids))
        {
            type = _types[ids[0]];
            return true;
        }
        type = _types[0];
        return false;
    }

    /// <summary>The first type with this name and kind (e.g. the STRUCT <c>bpf_timer</c>, not a FWD of it).</summary>
    public bool TryGetByName(string name, BtfKind kind, out BtfType type)
    {
        if (_byName.TryGetValue(name, out var ids))
        {
            foreach (var id in ids)
            {
                if (_types[id].Kind == kind)
                {
                    type = _types[id];
                    return true;
                }
            }
        }
        type = _types[0];
        return false;
    }

    /// <summary>Every type with this name, in id order.</summary>
    public IEnumerable<BtfType> FindAllByName(string name) =>
        _byName.TryGetValue(name, out var ids) ? ids.Select(id => _types[id]) : [];

    /// <summary>Skips CONST, VOLATILE, RESTRICT and TYPE_TAG (not typedefs).</summary>
    public BtfType SkipQualifiers(uint id)
    {
        var type = this[id];
        while (type is BtfConst or BtfVolatile or BtfRestrict or BtfTypeTag)
            type = _types[((BtfReferenceType)type).TargetId];
        return type;
    }

    /// <summary>Skips qualifiers, type tags and typedefs (libbpf's <c>skip_mods_and_typedefs</c>).</summary>
    public BtfType SkipQualifiersAndTypedefs(uint id)
    {
        var type = this[id];
        while (type is BtfConst or BtfVolatile or BtfRestrict or BtfTypeTag or BtfTypedef)
            type = _types[((BtfReferenceType)type).TargetId];
        return type;
    }

    /// <summary>The size in bytes of a value of type <paramref name="id"/>, or false for void, FWD, FUNC, FUNC_PROTO, DECL_TAG and arrays of those.</summary>
    public bool TrySizeOf(uint id, out long size)
    {
        _ = this[id];
        size = _sizes[id];
        return size != BtfValidator.NoSize;
    }

    /// <summary>The size in bytes; an <see cref="ObjectLoadException"/> (the input asks for the size of an incomplete type) when there is none.</summary>
    public long SizeOf(uint id) =>
        TrySizeOf(id, out var size) ? size
            : BtfErrors.Throw<long>(BtfErrors.BtfSection, OffsetOf(id), $"type [{id}] {TypeName(id)} has no size");

    /// <summary>The natural alignment as libbpf's <c>btf__align_of</c> computes it (1 for packed structs), or 0 when the type has none.</summary>
    public int AlignOf(uint id) => AlignOf(id, 0);

    private int AlignOf(uint id, int depth)
    {
        if (depth > BtfValidator.MaxNestingDepth + BtfValidator.MaxChainLength)
            return 0;
        _ = this[id];
        int known = _alignments[id];
        if (known >= 0)
            return known;
        int computed = ComputeAlignment(id, depth);
        _alignments[id] = computed;
        return computed;
    }

    private int ComputeAlignment(uint id, int depth)
    {
        switch (this[id])
        {
            case BtfInt t: return (int)Math.Min(t.Size, 8);
            case BtfEnum e: return (int)Math.Min(e.Size, 8);
            case BtfFloat f: return (int)Math.Min(f.Size, 8);
            case BtfPointer: return 8;
            case BtfArray array: return AlignOf(array.ElementTypeId, depth + 1);
            case BtfReferenceType reference: return AlignOf(reference.TargetId, depth + 1);
            case BtfVariable variable: return AlignOf(variable.TypeId, depth + 1);
            case BtfComposite composite:
            {
                int max = 1;
                foreach (var member in composite.Members)
                {
                    int align = AlignOf(member.TypeId, depth + 1);
                    if (align <= 0)
                        return 0;
                    max = Math.Max(max, align);
                    if (!member.IsBitfield && member.BitOffset % (8u * (uint)align) != 0)
                        return 1;
                }
                return composite.Size % (uint)max != 0 ? 1 : max;
            }
            default: return 0;
        }
    }

    /// <summary>A C-like name for display: <c>struct flow_key</c>, <c>__u32</c>, <c>char[16]</c>, <c>int (*)(void *, int *)</c>.</summary>
    public string TypeName(uint id) => BtfTypeNames.Of(this, id);
}

using System.Collections.Immutable;

namespace SharpBpf.Btf;

/// <summary>
/// Finds <c>bpf_timer</c>, <c>bpf_spin_lock</c> and the kernel's other special fields in a map value type with
/// the rules of <c>kernel/bpf/btf.c</c> (<c>btf_parse_fields</c> → <c>btf_find_field</c>, Linux 6.18):
/// <list type="bullet">
/// <item>fields are recognised by the name of the member's type exactly as written: a typedef or a
/// const-qualified <c>struct bpf_timer</c> is not seen; a struct with the right name but another size is
/// ignored (but still counts as "seen" for uniqueness);</item>
/// <item>nested structs and unions are searched (up to 32 levels); offsets add up;</item>
/// <item>a unique kind (spin lock, timer, workqueue, task work) found twice in one struct, or more than 11
/// fields in all, fails with -E2BIG; an array of more than one of a non-repeatable field (a timer, or a struct
/// holding one) fails with -EINVAL; a member not on a byte boundary fails with -EINVAL;</item>
/// <item>a field whose offset within its own struct is not aligned (packed) is silently ignored;</item>
/// <item>a failure means the kernel records no special fields at all (map creation still succeeds; for two spin
/// locks see <see cref="SpecialFieldLayout"/>).</item>
/// </list>
/// Deliberately does not resolve kptr target types against kernel BTF, nor check the node member that a
/// <c>bpf_list_head</c>/<c>bpf_rb_root</c> "contains:" tag names (only that the tag and its struct exist).
/// </summary>
internal static class SpecialFieldLocator
{
    private const int MaxFields = 11; // BTF_FIELDS_MAX
    private const int MaxResolveDepth = 32; // MAX_RESOLVE_DEPTH
    private const int EINVAL = -22, E2BIG = -7, EEXIST = -17, EFAULT = -14, ENOENT = -2;

    // The kernel walks every member of every nested struct; nested unions of unions make that exponential.
    // Past this many member visits we give up (a deviation: the kernel would keep going).
    private const int MaxVisits = 1_000_000;

    /// <summary>
    /// The special fields of map value type <paramref name="valueTypeId"/> (typedefs and qualifiers on it are
    /// skipped, as <c>btf_type_id_size</c> does). <paramref name="valueSize"/> defaults to the type's size.
    /// A value type that is not a struct, union or DATASEC has no special fields.
    /// </summary>
    public static SpecialFieldLayout Locate(BtfSpec spec, uint valueTypeId, long? valueSize = null, SpecialFieldMask mask = SpecialFieldMask.MapValue)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var root = spec.SkipQualifiersAndTypedefs(valueTypeId);
        if (root is not (BtfComposite or BtfDataSection))
            return SpecialFieldLayout.Empty;
        long size = valueSize ?? (spec.TrySizeOf(root.Id, out var s) ? s : 0);
        var walker = new Walker(spec, mask);
        int result = root is BtfComposite composite
            ? walker.StructFields(composite, 0)
            : walker.DataSectionVariables((BtfDataSection)root);
        if (result < 0)
            return walker.Failed(result);
        return walker.Finish(size);
    }

    private sealed class Walker(BtfSpec spec, SpecialFieldMask mask)
    {
        private readonly List<Found> _found = [];
        private readonly List<string> _notes = [];
        private string? _problem;
        private int _visitsLeft = MaxVisits;

        private readonly record struct Found(SpecialFieldKind Kind, uint Offset, string Where);

        private static readonly (SpecialFieldKind Kind, SpecialFieldMask Mask, string Name, bool Unique)[] Named =
        [
            (SpecialFieldKind.SpinLock, SpecialFieldMask.SpinLock, SpecialFieldKind.SpinLock.StructName(), true),
            (SpecialFieldKind.ResSpinLock, SpecialFieldMask.ResSpinLock, SpecialFieldKind.ResSpinLock.StructName(), true),
            (SpecialFieldKind.Timer, SpecialFieldMask.Timer, SpecialFieldKind.Timer.StructName(), true),
            (SpecialFieldKind.Workqueue, SpecialFieldMask.Workqueue, SpecialFieldKind.Workqueue.StructName(), true),
            (SpecialFieldKind.TaskWork, SpecialFieldMask.TaskWork, SpecialFieldKind.TaskWork.StructName(), true),
            (SpecialFieldKind.ListHead, SpecialFieldMask.ListHead, SpecialFieldKind.ListHead.StructName(), false),
            (SpecialFieldKind.ListNode, SpecialFieldMask.ListNode, SpecialFieldKind.ListNode.StructName(), false),
            (SpecialFieldKind.RbRoot, SpecialFieldMask.RbRoot, SpecialFieldKind.RbRoot.StructName(), false),
            (SpecialFieldKind.RbNode, SpecialFieldMask.RbNode, SpecialFieldKind.RbNode.StructName(), false),
            (SpecialFieldKind.Refcount, SpecialFieldMask.Refcount, SpecialFieldKind.Refcount.StructName(), false),
        ];

        public static uint SizeOf(SpecialFieldKind kind) => kind switch
        {
            SpecialFieldKind.SpinLock or SpecialFieldKind.ResSpinLock or SpecialFieldKind.Refcount => 4,
            SpecialFieldKind.Timer or SpecialFieldKind.Workqueue or SpecialFieldKind.ListHead or SpecialFieldKind.RbRoot => 16,
            SpecialFieldKind.ListNode => 24,
            SpecialFieldKind.RbNode => 32,
            _ => 8,
        };

        private static uint AlignOf(SpecialFieldKind kind) =>
            kind is SpecialFieldKind.SpinLock or SpecialFieldKind.ResSpinLock or SpecialFieldKind.Refcount ? 4u : 8u;

        private static bool Repeatable(SpecialFieldKind kind) => kind is SpecialFieldKind.KptrUntrusted or SpecialFieldKind.Kptr
            or SpecialFieldKind.PercpuKptr or SpecialFieldKind.Uptr or SpecialFieldKind.ListHead or SpecialFieldKind.RbRoot;

        private static string FieldName(SpecialFieldKind kind) => kind switch
        {
            SpecialFieldKind.KptrUntrusted or SpecialFieldKind.Kptr or SpecialFieldKind.PercpuKptr or SpecialFieldKind.Uptr => "kptr",
            _ => Named.First(n => n.Kind == kind).Name,
        };

        private int Fail(int error, string problem)
        {
            _problem ??= problem;
            return error;
        }

        public int StructFields(BtfComposite composite, int level)
        {
            int count = 0;
            var seen = SpecialFieldMask.None;
            for (int i = 0; i < composite.Members.Length; i++)
            {
                var member = composite.Members[i];
                if (--_visitsLeft < 0)
                    return Fail(E2BIG, $"{spec.TypeName(composite.Id)} nests more than {MaxVisits} members; not searched further");
                if (member.BitOffset % 8 != 0)
                {
                    // Every member is checked, so any bitfield that does not start on a byte boundary anywhere
                    // in the value (nested structs included) makes the kernel drop all special fields.
                    return Fail(EINVAL, $"member '{member.Name}' of {spec.TypeName(composite.Id)} does not start on a byte boundary (bit {member.BitOffset}); the kernel records no special fields for such a value");
                }
                int result = FieldOne(composite, spec[member.TypeId], i, member.BitOffset / 8, 0, ref seen, level, member.Name);
                if (result < 0)
                    return result;
                count += result;
            }
            return count;
        }

        public int DataSectionVariables(BtfDataSection section)
        {
            int count = 0;
            var seen = SpecialFieldMask.None;
            foreach (var entry in section.Variables)
            {
                var variable = spec[entry.TypeId];
                uint typeId = variable is BtfVariable v ? v.TypeId : 0;
                int result = FieldOne(null, spec[typeId], -1, entry.Offset, entry.Size, ref seen, 0, variable.Name);
                if (result < 0)
                    return result;
                count += result;
            }
            return count;
        }

        private int FieldOne(BtfComposite? container, BtfType type, int componentIndex, uint offset, uint expectedSize,
            ref SpecialFieldMask seen, int level, string where)
        {
            uint elements = 1;
            int depth = 0;
            for (; depth < MaxResolveDepth && type is BtfArray array; depth++)
            {
                elements = unchecked(elements * array.Count);
                type = spec[array.ElementTypeId];
            }
            if (depth == MaxResolveDepth)
                return Fail(E2BIG, $"'{where}': arrays nested {MaxResolveDepth} deep");
            if (elements == 0)
                return 0;

            int kindOrError = FieldType(type, ref seen, out var kind, where);
            if (kindOrError < 0)
                return kindOrError;
            if (kindOrError == 0)
            {
                if (type is not BtfComposite nested)
                    return 0;
                if (expectedSize != 0 && expectedSize != unchecked(nested.Size * elements))
                    return 0;
                return NestedStruct(nested, offset, elements, level, where);
            }

            uint size = SizeOf(kind);
            if (expectedSize != 0 && expectedSize != unchecked(size * elements))
                return 0;
            if (offset % AlignOf(kind) != 0)
            {
                _notes.Add($"'{where}': {FieldName(kind)} at offset {offset} of its struct is not {AlignOf(kind)}-byte aligned; the kernel ignores it");
                return 0;
            }

            int found;
            switch (kind)
            {
                case SpecialFieldKind.KptrUntrusted or SpecialFieldKind.Kptr or SpecialFieldKind.PercpuKptr or SpecialFieldKind.Uptr:
                    found = FindKptr(type, where, out kind);
                    break;
                case SpecialFieldKind.ListHead or SpecialFieldKind.RbRoot:
                    found = FindGraphRoot(container, type, componentIndex, size, where);
                    break;
                default:
                    found = type is BtfComposite s && s.Size == size ? 1 : 0;
                    if (found == 0)
                        _notes.Add($"'{where}': a {spec.TypeName(type.Id)} of {(spec.TrySizeOf(type.Id, out var actual) ? actual : 0)} bytes is not the kernel's {size}-byte {FieldName(kind)}; ignored");
                    break;
            }
            if (found < 0)
                return found;
            if (found == 0)
                return 0;
            if (_found.Count >= MaxFields)
                return Fail(E2BIG, $"more than {MaxFields} special fields");
            int start = _found.Count;
            _found.Add(new Found(kind, offset, where));
            if (elements > 1)
            {
                int repeated = Repeat(start, 1, elements - 1, size, where);
                if (repeated < 0)
                    return repeated;
            }
            return (int)elements;
        }

        private int NestedStruct(BtfComposite nested, uint offset, uint elements, int level, string where)
        {
            level++;
            if (level >= MaxResolveDepth)
                return Fail(E2BIG, $"'{where}': structs nested {MaxResolveDepth} deep");
            int start = _found.Count;
            int count = StructFields(nested, level);
            if (count <= 0)
                return count;
            for (int i = start; i < _found.Count; i++)
                _found[i] = _found[i] with { Offset = unchecked(_found[i].Offset + offset) };
            if (elements > 1)
            {
                int repeated = Repeat(start, count, elements - 1, nested.Size, where);
                if (repeated < 0)
                    return repeated;
                count = unchecked(count * (int)elements);
            }
            return count;
        }

        private int Repeat(int start, int fieldCount, uint repeatCount, uint elementSize, string where)
        {
            for (int i = start; i < start + fieldCount; i++)
            {
                if (!Repeatable(_found[i].Kind))
                    return Fail(EINVAL, $"'{where}' is an array of {repeatCount + 1} elements holding a {FieldName(_found[i].Kind)}; the kernel does not allow repeated {FieldName(_found[i].Kind)} fields");
            }
            if ((long)fieldCount * (repeatCount + 1L) > MaxFields - start)
                return Fail(E2BIG, $"'{where}': more than {MaxFields} special fields");
            for (uint r = 1; r <= repeatCount; r++)
                for (int i = start; i < start + fieldCount; i++)
                    _found.Add(_found[i] with { Offset = unchecked(_found[i].Offset + r * elementSize) });
            return 0;
        }

        /// <summary>1 and the kind when named (or a non-struct kptr candidate), 0 when not special, negative on error.</summary>
        private int FieldType(BtfType type, ref SpecialFieldMask seen, out SpecialFieldKind kind, string where)
        {
            foreach (var (candidate, bit, name, unique) in Named)
            {
                if ((mask & bit) == 0 || type.Name != name)
                    continue;
                if (unique)
                {
                    if ((seen & bit) != 0)
                    {
                        kind = candidate;
                        return Fail(E2BIG, $"'{where}' is a second {name} in the same struct; the kernel allows one and records no special fields at all");
                    }
                    seen |= bit;
                }
                kind = candidate;
                return 1;
            }
            kind = SpecialFieldKind.Kptr;
            if ((mask & (SpecialFieldMask.Kptr | SpecialFieldMask.Uptr)) != 0 && type is not BtfComposite)
                return 1;
            return 0;
        }

        private int FindKptr(BtfType type, string where, out SpecialFieldKind kind)
        {
            kind = SpecialFieldKind.Kptr;
            if (type is BtfVolatile v)
                type = spec[v.TargetId];
            if (type is not BtfPointer pointer)
                return 0;
            var tag = spec[pointer.TargetId];
            if (tag is not BtfTypeTag { IsAttribute: false } typeTag)
                return 0;
            if (spec[typeTag.TargetId] is BtfTypeTag)
                return Fail(EINVAL, $"'{where}': pointer with more than one type tag");
            switch (typeTag.Name)
            {
                case "kptr_untrusted": kind = SpecialFieldKind.KptrUntrusted; break;
                case "kptr": kind = SpecialFieldKind.Kptr; break;
                case "percpu_kptr": kind = SpecialFieldKind.PercpuKptr; break;
                case "uptr": kind = SpecialFieldKind.Uptr; break;
                default: return Fail(EINVAL, $"'{where}': pointer type tag \"{typeTag.Name}\" is not a kptr tag; the kernel rejects the value's special fields");
            }
            var wanted = kind == SpecialFieldKind.Uptr ? SpecialFieldMask.Uptr : SpecialFieldMask.Kptr;
            if ((mask & wanted) == 0)
                return 0;
            if (spec.SkipQualifiersAndTypedefs(typeTag.TargetId) is not BtfComposite)
                return Fail(EINVAL, $"'{where}': a kptr must point to a struct");
            return 1;
        }

        private int FindGraphRoot(BtfComposite? container, BtfType type, int componentIndex, uint size, string where)
        {
            if (type is not BtfComposite s || s.Size != size)
                return 0;
            string? value = null;
            for (uint id = 1; id < spec.Types.Count; id++)
            {
                if (spec[id] is BtfDeclTag tag && container is not null && tag.TargetId == container.Id
                    && tag.ComponentIndex == componentIndex && tag.Name.StartsWith("contains:", StringComparison.Ordinal))
                {
                    if (value is not null)
                        return Fail(EINVAL, $"'{where}': two \"contains:\" tags");
                    value = tag.Name["contains:".Length..];
                }
            }
            if (value is null)
                return Fail(EINVAL, $"'{where}': {type.Name} without a \"contains:\" declaration tag");
            int colon = value.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || colon == value.Length - 1)
                return Fail(EINVAL, $"'{where}': malformed \"contains:{value}\" tag");
            if (!spec.TryGetByName(value[..colon], BtfKind.Struct, out _))
                return Fail(ENOENT, $"'{where}': \"contains:\" names struct {value[..colon]}, which is not in the BTF");
            return 1;
        }

        public SpecialFieldLayout Failed(int error) =>
            new([], _problem ?? "the kernel cannot parse the special fields", error, [.. _notes]);

        public SpecialFieldLayout Finish(long valueSize)
        {
            uint next = 0;
            foreach (var found in _found)
            {
                uint size = SizeOf(found.Kind);
                if (found.Offset + (long)size > valueSize)
                    return Failed(Fail(EFAULT, $"'{found.Where}': {FieldName(found.Kind)} at {found.Offset} ends beyond the {valueSize}-byte value"));
                if (found.Offset < next)
                    return Failed(Fail(EEXIST, $"'{found.Where}': {FieldName(found.Kind)} at {found.Offset} overlaps the previous special field"));
                next = found.Offset + size;
            }
            bool Has(SpecialFieldKind k) => _found.Any(f => f.Kind == k);
            if (Has(SpecialFieldKind.SpinLock) && Has(SpecialFieldKind.ResSpinLock))
                return Failed(Fail(EINVAL, "a value cannot hold both bpf_spin_lock and bpf_res_spin_lock"));
            if ((Has(SpecialFieldKind.ListHead) || Has(SpecialFieldKind.RbRoot)) && !Has(SpecialFieldKind.SpinLock) && !Has(SpecialFieldKind.ResSpinLock))
                return Failed(Fail(EINVAL, "bpf_list_head and bpf_rb_root need a bpf_spin_lock in the same value"));
            if (!Has(SpecialFieldKind.Refcount) && Has(SpecialFieldKind.ListNode) && Has(SpecialFieldKind.RbNode))
                return Failed(Fail(EINVAL, "bpf_list_node together with bpf_rb_node needs a bpf_refcount"));
            foreach (var kind in new[] { SpecialFieldKind.Timer, SpecialFieldKind.SpinLock, SpecialFieldKind.Workqueue, SpecialFieldKind.TaskWork })
            {
                var all = _found.Where(f => f.Kind == kind).ToList();
                if (all.Count > 1)
                    _notes.Add($"{all.Count} {FieldName(kind)} fields at different nesting levels ({string.Join(", ", all.Select(f => f.Offset))}); the kernel records all of them (with a kernel warning) and uses the last one");
            }
            var fields = _found.Select(f => new SpecialField(f.Kind, (int)f.Offset, (int)SizeOf(f.Kind))).OrderBy(f => f.Offset).ToImmutableArray();
            return new SpecialFieldLayout(fields, null, 0, [.. _notes]);
        }
    }
}

namespace SharpBpf.Btf.Internal;

/// <summary>
/// Whole-table checks after parsing: every referenced type id exists and has a kind that can stand there,
/// no reference chain (typedef, qualifiers, pointers) loops or runs longer than
/// <see cref="MaxChainLength"/>, no type contains itself by value, and nesting stays within
/// <see cref="MaxNestingDepth"/>. It computes every type's size on the way, so later queries never recurse
/// without bound. It does not check member offsets against struct sizes (clang's output is trusted there;
/// the value formatter bounds-checks every read instead).
/// </summary>
internal static class BtfValidator
{
    public const int MaxChainLength = 32;
    public const int MaxNestingDepth = 64;
    public const long NoSize = -1;

    private const string Sec = BtfErrors.BtfSection;

    public static long[] Validate(BtfSpec spec)
    {
        CheckReferences(spec);
        CheckChains(spec);
        var sizes = ComputeSizes(spec);
        CheckMembers(spec, sizes);
        return sizes;
    }

    /// <summary>Every member lies inside its struct, so readers of values never step outside the value.</summary>
    private static void CheckMembers(BtfSpec spec, long[] sizes)
    {
        foreach (var type in spec.Types)
        {
            if (type is not BtfComposite composite)
                continue;
            long at = spec.OffsetOf(type.Id);
            for (int i = 0; i < composite.Members.Length; i++)
            {
                var member = composite.Members[i];
                long offsetField = at + 12 + 12L * i + 8;
                if (member.IsBitfield)
                {
                    if (member.BitfieldSize > 64)
                        BtfErrors.Throw(Sec, offsetField, $"{type.Kind} [{type.Id}] member '{member.Name}' has bitfield size {member.BitfieldSize} > 64");
                    if ((long)member.BitOffset + member.BitfieldSize > composite.Size * 8L)
                        BtfErrors.Throw(Sec, offsetField, $"{type.Kind} [{type.Id}] member '{member.Name}' bits {member.BitOffset}+{member.BitfieldSize} exceed the struct's {composite.Size} bytes");
                    continue;
                }
                long size = sizes[member.TypeId];
                if (size == NoSize)
                    BtfErrors.Throw(Sec, offsetField - 4, $"{type.Kind} [{type.Id}] member '{member.Name}' has incomplete type [{member.TypeId}]");
                if (member.BitOffset / 8 + size > composite.Size)
                    BtfErrors.Throw(Sec, offsetField, $"{type.Kind} [{type.Id}] member '{member.Name}' at bit {member.BitOffset} with {size} bytes exceeds the struct's {composite.Size} bytes");
            }
        }
    }

    private static void CheckReferences(BtfSpec spec)
    {
        var types = spec.Types;
        uint count = (uint)types.Count;
        for (int i = 1; i < types.Count; i++)
        {
            var type = types[i];
            long at = spec.OffsetOf(type.Id);
            switch (type)
            {
                case BtfReferenceType reference:
                    Id(reference.TargetId, at + 8, "type");
                    break;
                case BtfArray array:
                    Id(array.ElementTypeId, at + 12, "element type");
                    Id(array.IndexTypeId, at + 16, "index type");
                    if (array.ElementTypeId == 0)
                        BtfErrors.Throw(Sec, at + 12, $"ARRAY [{type.Id}] has element type void");
                    break;
                case BtfComposite composite:
                    for (int m = 0; m < composite.Members.Length; m++)
                    {
                        Id(composite.Members[m].TypeId, at + 12 + 12L * m + 4, $"member '{composite.Members[m].Name}' type");
                        if (composite.Members[m].TypeId == 0)
                            BtfErrors.Throw(Sec, at + 12 + 12L * m + 4, $"{type.Kind} [{type.Id}] member {m} has type void");
                    }
                    break;
                case BtfFunction function:
                    Id(function.ProtoId, at + 8, "prototype");
                    if (types[(int)function.ProtoId] is not BtfFunctionProto)
                        BtfErrors.Throw(Sec, at + 8, $"FUNC [{type.Id}] '{type.Name}' refers to [{function.ProtoId}], which is not a FUNC_PROTO");
                    break;
                case BtfFunctionProto proto:
                    Id(proto.ReturnTypeId, at + 8, "return type");
                    for (int p = 0; p < proto.Parameters.Length; p++)
                        Id(proto.Parameters[p].TypeId, at + 12 + 8L * p + 4, "parameter type");
                    break;
                case BtfVariable variable:
                    Id(variable.TypeId, at + 8, "type");
                    if (variable.TypeId == 0)
                        BtfErrors.Throw(Sec, at + 8, $"VAR [{type.Id}] '{type.Name}' has type void");
                    break;
                case BtfDataSection section:
                    for (int v = 0; v < section.Variables.Length; v++)
                    {
                        uint target = section.Variables[v].TypeId;
                        Id(target, at + 12 + 12L * v, "variable");
                        if (types[(int)target] is not (BtfVariable or BtfFunction))
                            BtfErrors.Throw(Sec, at + 12 + 12L * v, $"DATASEC [{type.Id}] '{type.Name}' entry {v} refers to [{target}], which is not a VAR");
                    }
                    break;
                case BtfDeclTag tag:
                    Id(tag.TargetId, at + 8, "tagged type");
                    if (tag.TargetId == 0)
                        BtfErrors.Throw(Sec, at + 8, $"DECL_TAG [{type.Id}] tags void");
                    break;
            }

            void Id(uint id, long offset, string what)
            {
                if (id >= count)
                    BtfErrors.Throw(Sec, offset, $"{type.Kind} [{type.Id}] {what} id {id} is out of range (the BTF has {count - 1} types)");
            }
        }
    }

    private static bool IsChainLink(BtfType type) =>
        type is BtfReferenceType or BtfVariable or BtfFunction or BtfDeclTag;

    private static uint NextInChain(BtfType type) => type switch
    {
        BtfReferenceType reference => reference.TargetId,
        BtfVariable variable => variable.TypeId,
        BtfFunction function => function.ProtoId,
        BtfDeclTag tag => tag.TargetId,
        _ => 0,
    };

    /// <summary>Follows typedef/qualifier/pointer/var/func/tag links from every type; each type is walked once.</summary>
    private static void CheckChains(BtfSpec spec)
    {
        var types = spec.Types;
        var done = new bool[types.Count];
        var walk = new int[types.Count];
        int stamp = 0;
        var path = new List<uint>();
        for (int start = 1; start < types.Count; start++)
        {
            if (done[start] || !IsChainLink(types[start]))
                continue;
            stamp++;
            path.Clear();
            uint current = (uint)start;
            while (!done[current] && IsChainLink(types[(int)current]))
            {
                if (walk[current] == stamp)
                {
                    BtfErrors.Throw(Sec, spec.OffsetOf(current),
                        $"type loop: {string.Join(" -> ", path.SkipWhile(id => id != current).Append(current).Select(id => Describe(spec, id)))}");
                }
                if (path.Count >= MaxChainLength)
                    BtfErrors.Throw(Sec, spec.OffsetOf((uint)start), $"reference chain from [{start}] is longer than {MaxChainLength} types");
                walk[current] = stamp;
                path.Add(current);
                current = NextInChain(types[(int)current]);
            }
            foreach (var id in path)
                done[id] = true;
        }
    }

    private static string Describe(BtfSpec spec, uint id) => $"[{id}] {spec.Types[(int)id].Kind}";

    /// <summary>
    /// Depth-first over "contains by value" edges (struct/union members, array elements, typedefs, qualifiers,
    /// vars, datasec entries; not pointers), iteratively so hostile input cannot overflow the stack.
    /// </summary>
    private static long[] ComputeSizes(BtfSpec spec)
    {
        var types = spec.Types;
        int n = types.Count;
        var sizes = new long[n];
        var state = new byte[n]; // 0 new, 1 on stack, 2 done
        var depth = new int[n];
        var stack = new Stack<(uint Id, int NextChild)>();
        sizes[0] = NoSize;
        state[0] = 2;
        for (uint root = 1; root < n; root++)
        {
            if (state[root] == 2)
                continue;
            stack.Push((root, 0));
            state[root] = 1;
            while (stack.Count > 0)
            {
                var (id, next) = stack.Pop();
                var type = types[(int)id];
                uint child = ContainedChild(type, next);
                if (child != uint.MaxValue)
                {
                    stack.Push((id, next + 1));
                    if (state[child] == 1)
                    {
                        var cycle = stack.Select(frame => frame.Id).Reverse().SkipWhile(x => x != child).Append(child);
                        BtfErrors.Throw(Sec, spec.OffsetOf(id), $"type loop: {string.Join(" -> ", cycle.Select(x => Describe(spec, x)))}");
                    }
                    if (state[child] == 0)
                    {
                        if (stack.Count >= MaxNestingDepth)
                            BtfErrors.Throw(Sec, spec.OffsetOf(child), $"types nest deeper than {MaxNestingDepth} levels at [{child}]");
                        state[child] = 1;
                        stack.Push((child, 0));
                    }
                    continue;
                }
                sizes[id] = SizeFromChildren(spec, type, sizes);
                state[id] = 2;
                int deepest = 0;
                for (int i = 0; ; i++)
                {
                    uint c = ContainedChild(type, i);
                    if (c == uint.MaxValue) break;
                    deepest = Math.Max(deepest, depth[c]);
                }
                depth[id] = deepest + 1;
                if (depth[id] > MaxNestingDepth)
                    BtfErrors.Throw(Sec, spec.OffsetOf(id), $"types nest deeper than {MaxNestingDepth} levels at [{id}]");
            }
        }
        return sizes;
    }

    /// <summary>The <paramref name="index"/>-th type contained by value, or <see cref="uint.MaxValue"/> when there are no more.</summary>
    private static uint ContainedChild(BtfType type, int index) => type switch
    {
        BtfPointer => uint.MaxValue,
        BtfReferenceType reference => index == 0 ? reference.TargetId : uint.MaxValue,
        BtfVariable variable => index == 0 ? variable.TypeId : uint.MaxValue,
        BtfArray array => index == 0 ? array.ElementTypeId : uint.MaxValue,
        BtfComposite composite => index < composite.Members.Length ? composite.Members[index].TypeId : uint.MaxValue,
        BtfDataSection section => index < section.Variables.Length ? section.Variables[index].TypeId : uint.MaxValue,
        _ => uint.MaxValue,
    };

    private static long SizeFromChildren(BtfSpec spec, BtfType type, long[] sizes)
    {
        switch (type)
        {
            case BtfInt t: return t.Size;
            case BtfPointer: return 8;
            case BtfReferenceType reference: return sizes[reference.TargetId];
            case BtfVariable variable: return sizes[variable.TypeId];
            case BtfComposite composite: return composite.Size;
            case BtfEnum e: return e.Size;
            case BtfFloat f: return f.Size;
            case BtfDataSection d: return d.Size;
            case BtfArray array:
            {
                long element = sizes[array.ElementTypeId];
                if (element == NoSize)
                    return NoSize;
                long total = element * array.Count;
                if (total > uint.MaxValue)
                    BtfErrors.Throw(Sec, spec.OffsetOf(type.Id) + 20, $"ARRAY [{type.Id}] of {array.Count} x {element} bytes overflows 32 bits");
                return total;
            }
            default: return NoSize;
        }
    }
}

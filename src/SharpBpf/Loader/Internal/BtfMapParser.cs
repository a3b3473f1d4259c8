using SharpBpf.Btf;
using SharpBpf.Elf;
using SharpBpf.Maps;

namespace SharpBpf.Loader.Internal;

/// <summary>
/// Reads one BTF-defined map (libbpf's <c>parse_btf_map_def</c>): the members of the anonymous struct are
/// <c>__uint(name, N)</c> (a pointer to an array of N elements), <c>__type(name, T)</c> (a pointer to T) and
/// <c>__array(values, T)</c> (a zero-length array of pointers to T). Unknown members are errors, as in libbpf 1.x.
/// </summary>
internal sealed class BtfMapParser(LoadContext context, BtfSpec btf, ElfSection section, long offset)
{
    public MapSpec Parse(string name, BtfStruct definition, bool isInner)
    {
        uint? type = null, keySize = null, valueSize = null, maxEntries = null, flags = null, numaNode = null, pinning = null, extra = null;
        uint keyTypeId = 0, valueTypeId = 0;
        MapSpec? inner = null;
        for (int i = 0; i < definition.Members.Length; i++)
        {
            var member = definition.Members[i];
            switch (member.Name)
            {
                case "type": type = Integer(name, member); break;
                case "max_entries": maxEntries = Integer(name, member); break;
                case "map_flags": flags = Integer(name, member); break;
                case "numa_node": numaNode = Integer(name, member); break;
                case "map_extra": extra = Integer(name, member); break;
                case "key_size": keySize = SetSize(name, "key", keySize, Integer(name, member)); break;
                case "value_size": valueSize = SetSize(name, "value", valueSize, Integer(name, member)); break;
                case "key":
                    keyTypeId = PointedType(name, member);
                    keySize = SetSize(name, "key", keySize, SizeOf(name, member, keyTypeId));
                    break;
                case "value":
                    valueTypeId = PointedType(name, member);
                    valueSize = SetSize(name, "value", valueSize, SizeOf(name, member, valueTypeId));
                    break;
                case "pinning":
                    if (isInner)
                        Fail(name, "an inner map definition cannot be pinned");
                    pinning = Integer(name, member);
                    if (pinning > (uint)MapPinning.ByName)
                        Fail(name, $"invalid pinning value {pinning}");
                    break;
                case "values":
                    inner = Values(name, definition, i, type, ref valueSize, isInner);
                    break;
                case "":
                    Fail(name, $"member #{i} of the map definition has no name");
                    break;
                default:
                    Fail(name, $"unknown map attribute '{member.Name}'");
                    break;
            }
        }
        if (type is null or 0)
            Fail(name, "map type isn't specified");
        if (!Enum.IsDefined((MapType)type.Value))
            Fail(name, $"unknown map type {type}");
        var map = new MapSpec
        {
            Name = name,
            Type = (MapType)type.Value,
            KeySize = keySize ?? 0,
            ValueSize = valueSize ?? 0,
            MaxEntries = maxEntries ?? 0,
            Flags = (MapCreateFlags)(flags ?? 0),
            Pinning = (MapPinning)(pinning ?? 0),
            NumaNode = numaNode,
            MapExtra = extra ?? 0,
            Source = isInner ? MapSource.InnerTemplate : MapSource.BtfMaps,
            SectionName = section.Name,
            SectionOffset = offset,
            InnerMap = inner,
            KeyTypeId = MapCollector.RefusesBtf((MapType)type.Value) ? 0 : keyTypeId,
            ValueTypeId = MapCollector.RefusesBtf((MapType)type.Value) ? 0 : valueTypeId,
            KeyTypeName = keyTypeId != 0 ? btf.TypeName(keyTypeId) : null,
            ValueTypeName = valueTypeId != 0 ? btf.TypeName(valueTypeId) : null,
        };
        if (map.ValueTypeId != 0)
        {
            try
            {
                map = map with { SpecialFields = SpecialFieldLocator.Locate(btf, valueTypeId, map.ValueSize) };
            }
            catch (ObjectLoadException e)
            {
                throw e.InFile(context.FileName);
            }
        }
        return map;
    }

    private MapSpec? Values(string name, BtfStruct definition, int index, uint? type, ref uint? valueSize, bool isInner)
    {
        if (isInner)
            Fail(name, "multi-level inner maps are not supported");
        if (index != definition.Members.Length - 1)
            Fail(name, "'values' must be the last member");
        bool isMapInMap = type is (uint)MapType.ArrayOfMaps or (uint)MapType.HashOfMaps;
        if (!isMapInMap && type != (uint)MapType.ProgArray)
            Fail(name, "'values' needs a map-in-map or prog-array type declared before it");
        if (valueSize is not null && valueSize != 4)
            Fail(name, $"conflicting value size {valueSize} != 4");
        valueSize = 4;
        var member = definition.Members[index];
        if (btf[member.TypeId] is not BtfArray { Count: 0 } array)
            return Fail<MapSpec?>(name, "'values' is not a zero-sized array");
        if (btf.SkipQualifiersAndTypedefs(array.ElementTypeId) is not BtfPointer pointer)
            return Fail<MapSpec?>(name, "'values' should be an array of pointers");
        var target = btf.SkipQualifiersAndTypedefs(pointer.TargetId);
        if (!isMapInMap)
        {
            if (target is not BtfFunctionProto)
                Fail(name, $"prog-array 'values' point to a {target.Kind}, not a function");
            return null;
        }
        if (target is not BtfStruct innerDefinition)
            return Fail<MapSpec?>(name, $"map-in-map 'values' point to a {target.Kind}, not a map definition struct");
        return Parse(name + ".inner", innerDefinition, isInner: true);
    }

    private uint Integer(string name, BtfMember member)
    {
        if (btf.SkipQualifiersAndTypedefs(member.TypeId) is not BtfPointer pointer)
            return Fail<uint>(name, $"attribute '{member.Name}' is not declared with __uint (expected a pointer)");
        if (btf[pointer.TargetId] is not BtfArray array)
            return Fail<uint>(name, $"attribute '{member.Name}' is not declared with __uint (expected a pointer to an array)");
        return array.Count;
    }

    private uint PointedType(string name, BtfMember member)
    {
        if (btf[member.TypeId] is not BtfPointer pointer)
            return Fail<uint>(name, $"attribute '{member.Name}' is not declared with __type (expected a pointer)");
        return pointer.TargetId;
    }

    private uint SizeOf(string name, BtfMember member, uint typeId)
    {
        if (!btf.TrySizeOf(typeId, out var size) || size > uint.MaxValue)
            return Fail<uint>(name, $"cannot determine the size of the {member.Name} type {btf.TypeName(typeId)}");
        return (uint)size;
    }

    private uint SetSize(string name, string what, uint? current, uint size)
    {
        if (current is not null && current != size)
            Fail(name, $"conflicting {what} size {current} != {size}");
        return size;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Fail(string name, string reason) => context.Fail(reason, section, offset, name);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private T Fail<T>(string name, string reason) => context.Fail<T>(reason, section, offset, name);
}

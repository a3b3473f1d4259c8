using System.Buffers.Binary;
using System.Collections.Immutable;
using SharpBpf.Btf;
using SharpBpf.Elf;
using SharpBpf.Maps;

namespace SharpBpf.Loader.Internal;

/// <summary>
/// Collects the maps in libbpf's order: legacy <c>maps</c> definitions (libbpf 0.x), BTF-defined maps of
/// <c>.maps</c> in DATASEC order, then one array per non-empty global-data section by section index; then reads
/// the declarative <c>.values</c> of PROG_ARRAYs and map-in-maps from <c>.rel.maps</c>.
/// </summary>
internal static class MapCollector
{
    /// <summary>The kernel refuses larger array values long before this; a bigger section is a corrupt header.</summary>
    private const ulong MaxGlobalDataSize = 1UL << 28;

    private const int LegacyDefinitionSize = 20;

    public static void Collect(LoadContext context)
    {
        CollectLegacy(context);
        CollectBtfMaps(context);
        CollectGlobalData(context);
        CollectInitialValues(context);
    }

    private static void Add(LoadContext context, MapSpec map, int sectionIndex, long offset, long size)
    {
        if (context.Maps.Any(m => m.Name == map.Name))
            context.Fail("a map with this name already exists", context.Elf.Sections[sectionIndex], offset, map.Name);
        context.Maps.Add(map);
        context.MapLocations.Add((sectionIndex, offset, size));
    }

    private static void CollectLegacy(LoadContext context)
    {
        var section = context.Elf.FindSection("maps");
        if (section is null)
            return;
        var symbols = context.Elf.Symbols
            .Where(s => s.IsInSection && s.SectionIndex == section.Index && s.Type != ElfSymbolType.Section)
            .ToList();
        if (symbols.Count == 0)
            return;
        if (section.IsNoBits || section.Size == 0 || section.Size % (ulong)symbols.Count != 0)
            context.Fail($"cannot tell the map definition size: {section.Size} bytes for {symbols.Count} map symbols", section, 0);
        int definitionSize = (int)(section.Size / (ulong)symbols.Count);
        var data = section.Data.Span;
        foreach (var symbol in symbols)
        {
            string name = context.SymbolName(symbol);
            if (symbol.Value > section.Size || (ulong)definitionSize > section.Size - symbol.Value)
                context.Fail($"map definition [{symbol.Value}, +{definitionSize}) crosses the end of the section", section, (long)symbol.Value, name);
            var definition = data.Slice((int)symbol.Value, definitionSize);
            for (int i = LegacyDefinitionSize; i < definitionSize; i++)
                if (definition[i] != 0)
                    context.Fail($"map definition has unrecognized, non-zero options at byte {i}", section, (long)symbol.Value + i, name);
            var fields = new byte[LegacyDefinitionSize].AsSpan();
            definition[..Math.Min(definitionSize, LegacyDefinitionSize)].CopyTo(fields);
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(fields);
            var mapType = CheckType(context, type, section, (long)symbol.Value, name);

            uint keyTypeId = 0, valueTypeId = 0;
            // libbpf 0.x: BPF_ANNOTATE_KV_PAIR left a 'struct ____btf_map_<name> { key; value; }' describing the types.
            if (context.Btf is { } btf && btf.TryGetByName("____btf_map_" + name, BtfKind.Struct, out var pair)
                && pair is BtfStruct { Members: [{ Name: "key" } key, { Name: "value" } value] })
            {
                keyTypeId = key.TypeId;
                valueTypeId = value.TypeId;
            }
            var map = new MapSpec
            {
                Name = name,
                Type = mapType,
                KeySize = BinaryPrimitives.ReadUInt32LittleEndian(fields[4..]),
                ValueSize = BinaryPrimitives.ReadUInt32LittleEndian(fields[8..]),
                MaxEntries = BinaryPrimitives.ReadUInt32LittleEndian(fields[12..]),
                Flags = (MapCreateFlags)BinaryPrimitives.ReadUInt32LittleEndian(fields[16..]),
                Source = MapSource.LegacyMaps,
                SectionName = section.Name,
                SectionOffset = (long)symbol.Value,
            };
            map = WithValueTypes(context, map, keyTypeId, valueTypeId, section, (long)symbol.Value);
            Add(context, map, section.Index, (long)symbol.Value, definitionSize);
        }
    }

    private static MapType CheckType(LoadContext context, uint type, ElfSection section, long offset, string name)
    {
        if (type == 0)
            context.Fail("map type isn't specified", section, offset, name);
        if (!Enum.IsDefined((MapType)type))
            context.Fail($"unknown map type {type}", section, offset, name);
        return (MapType)type;
    }

    /// <summary>
    /// Map types whose kernel implementation refuses key/value BTF (<c>map_check_no_btf</c>, or libbpf's own list):
    /// libbpf creates them without it, so their type ids are 0 here too.
    /// </summary>
    public static bool RefusesBtf(MapType type) => type is MapType.ProgArray or MapType.PerfEventArray or MapType.CgroupArray
        or MapType.StackTrace or MapType.ArrayOfMaps or MapType.HashOfMaps or MapType.Devmap or MapType.DevmapHash
        or MapType.Cpumap or MapType.Xskmap or MapType.Sockmap or MapType.Sockhash or MapType.Queue or MapType.Stack
        or MapType.ReuseportSockarray or MapType.Ringbuf or MapType.UserRingbuf;

    private static MapSpec WithValueTypes(LoadContext context, MapSpec map, uint keyTypeId, uint valueTypeId, ElfSection section, long offset)
    {
        var btf = context.Btf;
        if (btf is null)
            return map;
        if (RefusesBtf(map.Type))
            keyTypeId = valueTypeId = 0;
        try
        {
            return map with
            {
                KeyTypeId = keyTypeId,
                ValueTypeId = valueTypeId,
                KeyTypeName = keyTypeId != 0 ? btf.TypeName(keyTypeId) : null,
                ValueTypeName = valueTypeId != 0 ? btf.TypeName(valueTypeId) : null,
                SpecialFields = valueTypeId != 0 ? SpecialFieldLocator.Locate(btf, valueTypeId, map.ValueSize) : SpecialFieldLayout.Empty,
            };
        }
        catch (ObjectLoadException e)
        {
            throw e.InFile(context.FileName);
        }
        catch (ArgumentOutOfRangeException)
        {
            return context.Fail<MapSpec>($"BTF type id {Math.Max(keyTypeId, valueTypeId)} is out of range", section, offset, map.Name);
        }
    }

    private static void CollectBtfMaps(LoadContext context)
    {
        var section = context.Elf.FindSection(".maps");
        if (section is null)
            return;
        var btf = context.Btf ?? context.Fail<BtfSpec>("BTF-defined maps need BTF, but the object has no .BTF section", section, 0);
        if (!btf.TryGetByName(".maps", BtfKind.DataSection, out var found))
            context.Fail("DATASEC '.maps' not found in BTF", section, 0);
        var dataSection = (BtfDataSection)found;
        foreach (var info in dataSection.Variables)
        {
            if (btf[info.TypeId] is not BtfVariable variable)
                context.Fail($"DATASEC '.maps' entry [{info.TypeId}] is a {btf[info.TypeId].Kind}, not a VAR", section, 0);
            else
            {
                string name = variable.Name;
                var symbol = context.SymbolsNamed(name, section.Index).FirstOrDefault(s => s.Type is ElfSymbolType.Object or ElfSymbolType.NoType);
                if (symbol is null)
                    context.Fail("map variable has no ELF symbol in .maps", section, 0, name);
                if (variable.Linkage is not (BtfVariableLinkage.GlobalAllocated or BtfVariableLinkage.Static))
                    context.Fail($"unsupported map linkage {variable.Linkage}", section, (long)symbol.Value, name);
                long offset = (long)symbol.Value;
                if (btf.SkipQualifiersAndTypedefs(variable.TypeId) is not BtfStruct definition)
                    context.Fail($"map definition is a {btf.SkipQualifiersAndTypedefs(variable.TypeId).Kind}, not a struct", section, offset, name);
                else
                {
                    // The variable's size (from DATASEC, else the symbol) covers the flexible 'values' array the struct size leaves out.
                    long size = info.Size != 0 ? info.Size : symbol.Size != 0 ? (long)symbol.Size : definition.Size;
                    if (definition.Size > size)
                        context.Fail($"map definition struct of {definition.Size} bytes is larger than its variable ({size} bytes)", section, offset, name);
                    if ((ulong)offset > section.Size || (ulong)size > section.Size - (ulong)offset)
                        context.Fail($"map definition [{offset}, +{size}) crosses the end of the {section.Size}-byte section", section, offset, name);
                    var map = new BtfMapParser(context, btf, section, offset).Parse(name, definition, isInner: false);
                    context.BtfMapDefinitions[name] = definition;
                    Add(context, map, section.Index, offset, size);
                }
            }
        }
    }

    private static void CollectGlobalData(LoadContext context)
    {
        foreach (var section in context.Elf.Sections)
        {
            bool isData = section.Type == ElfSectionType.ProgBits && (section.Flags & ElfSectionFlags.ExecInstr) == 0
                && (section.Name == ".data" || section.Name.StartsWith(".data.", StringComparison.Ordinal));
            bool isReadOnly = section.Type == ElfSectionType.ProgBits && (section.Flags & ElfSectionFlags.ExecInstr) == 0
                && (section.Name == ".rodata" || section.Name.StartsWith(".rodata.", StringComparison.Ordinal));
            bool isBss = section.Type == ElfSectionType.NoBits
                && (section.Name == ".bss" || section.Name.StartsWith(".bss.", StringComparison.Ordinal));
            if (!(isData || isReadOnly || isBss) || section.Size == 0)
                continue;
            if (section.Size > MaxGlobalDataSize)
                context.Fail($"global data section of {section.Size} bytes is larger than any map value", section, 0);

            uint valueTypeId = 0;
            if (context.Btf is { } btf && btf.TryGetByName(section.Name, BtfKind.DataSection, out var dataSection))
                valueTypeId = dataSection.Id;
            var flags = MapCreateFlags.None;
            if (isReadOnly)
                flags |= MapCreateFlags.RdonlyProg;
            if (IsMmapable(context, valueTypeId))
                flags |= MapCreateFlags.Mmapable;
            var map = new MapSpec
            {
                Name = ObjectNames.InternalMapName(context.ObjectName, section.Name),
                Type = MapType.Array,
                KeySize = 4,
                ValueSize = (uint)section.Size,
                MaxEntries = 1,
                Flags = flags,
                Source = MapSource.GlobalData,
                SectionName = section.Name,
                InitialData = isBss ? ImmutableArray.Create(new byte[section.Size]) : ImmutableArray.Create(section.Data.Span),
            };
            map = WithValueTypes(context, map, 0, valueTypeId, section, 0) with { Variables = Variables(context, section, valueTypeId) };
            Add(context, map, section.Index, 0, (long)section.Size);
        }
    }

    private static ImmutableArray<GlobalVariable> Variables(LoadContext context, ElfSection section, uint dataSectionId)
    {
        if (dataSectionId == 0 || context.Btf is not { } btf || btf[dataSectionId] is not BtfDataSection dataSection)
            return [];
        var variables = new List<GlobalVariable>();
        foreach (var info in dataSection.Variables)
        {
            if (btf[info.TypeId] is not BtfVariable variable)
                continue;
            var symbol = context.SymbolsNamed(variable.Name, section.Index).FirstOrDefault(s => s.Type is ElfSymbolType.Object or ElfSymbolType.NoType);
            if (symbol is null)
                continue;
            uint size = info.Size != 0 ? info.Size : btf.TrySizeOf(variable.TypeId, out var typeSize) ? (uint)typeSize : (uint)symbol.Size;
            if (symbol.Value > section.Size || size > section.Size - symbol.Value)
                context.Fail($"variable [{symbol.Value}, +{size}) crosses the end of the {section.Size}-byte section", section, (long)symbol.Value, variable.Name);
            variables.Add(new GlobalVariable(variable.Name, (uint)symbol.Value, size, variable.TypeId, btf.TypeName(variable.TypeId),
                variable.Linkage == BtfVariableLinkage.Static));
        }
        return [.. variables.OrderBy(v => v.Offset)];
    }

    /// <summary>libbpf 1.2+: mmapable only when the DATASEC has a variable user space can see (not static, not hidden).</summary>
    private static bool IsMmapable(LoadContext context, uint dataSectionId)
    {
        if (dataSectionId == 0 || context.Btf is not { } btf || btf[dataSectionId] is not BtfDataSection dataSection)
            return false;
        foreach (var info in dataSection.Variables)
            if (btf[info.TypeId] is BtfVariable { Linkage: not BtfVariableLinkage.Static })
                return true;
        return false;
    }

    private static void CollectInitialValues(LoadContext context)
    {
        var section = context.Elf.FindSection(".maps");
        if (section is null)
            return;
        var slots = new Dictionary<int, SortedDictionary<uint, string>>();
        foreach (var relocations in context.Elf.RelocationsFor(section))
        {
            foreach (var relocation in relocations.Relocations)
            {
                long at = (long)relocation.Offset;
                string symbolName = context.SymbolName(relocation.Symbol);
                int mapIndex = -1;
                for (int i = 0; i < context.Maps.Count; i++)
                {
                    var (sectionIndex, offset, size) = context.MapLocations[i];
                    if (sectionIndex == section.Index && offset <= at && at + 8 <= offset + size)
                    {
                        mapIndex = i;
                        break;
                    }
                }
                if (mapIndex < 0)
                    context.Fail("relocation in .maps is not inside any map definition", section, at, symbolName);
                var map = context.Maps[mapIndex];
                var location = context.MapLocations[mapIndex];
                bool isMapInMap = map.Type is MapType.ArrayOfMaps or MapType.HashOfMaps;
                if (!isMapInMap && map.Type != MapType.ProgArray)
                    context.Fail($"map '{map.Name}' has a relocation but is not a map-in-map or prog array", section, at, symbolName);
                var definition = context.BtfMapDefinitions[map.Name];
                var last = definition.Members.Length > 0 ? definition.Members[^1] : null;
                if (last is null || last.Name != "values")
                    context.Fail($"map '{map.Name}' has a relocation but no 'values' member", section, at, symbolName);
                long valuesOffset = location.Offset + last.BitOffset / 8;
                if (at < valuesOffset || (at - valuesOffset) % 8 != 0)
                    context.Fail($"relocation is not on a slot of '{map.Name}.values'", section, at, symbolName);
                uint index = (uint)((at - valuesOffset) / 8);

                var symbol = relocation.Symbol;
                string target = symbol.Name;
                if (isMapInMap)
                {
                    if (!symbol.IsInSection || symbol.SectionIndex != section.Index || !context.Maps.Any(m => m.Name == target && m.Source == MapSource.BtfMaps))
                        context.Fail($"'{map.Name}.values[{index}]' refers to '{symbolName}', which is not a map in .maps", section, at, symbolName);
                }
                else
                {
                    bool isProgram = symbol.Type == ElfSymbolType.Func && symbol.IsInSection
                        && context.CodeSections.TryGetValue(symbol.SectionIndex, out var code) && !code.IsText;
                    if (!isProgram)
                        context.Fail($"'{map.Name}.values[{index}]' refers to '{symbolName}', which is not a program (a subprogram cannot be a tail-call target)", section, at, symbolName);
                }
                if (!slots.TryGetValue(mapIndex, out var values))
                    slots[mapIndex] = values = [];
                values[index] = target;
            }
        }
        foreach (var (mapIndex, values) in slots)
            context.Maps[mapIndex] = context.Maps[mapIndex] with { InitialValues = [.. values.Select(v => new MapInitialValue(v.Key, v.Value))] };
    }
}

using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Loader;
using SharpBpf.Maps;

namespace SharpBpf.Runtime;

/// <summary>Turns the loader's map blueprints into live maps and fills what the object declares in them.</summary>
internal static class MapFactory
{
    public static BpfMap Create(MapSpec spec, int possibleCpus) =>
        BpfMap.Create(Definition(spec), new MapCreateOptions { PossibleCpus = possibleCpus });

    private static MapDefinition Definition(MapSpec spec) =>
        new(spec.Name, spec.Type, spec.KeySize, spec.ValueSize, spec.MaxEntries, spec.Flags)
        {
            InnerMap = spec.InnerMap is { } inner ? Definition(inner) : null,
            SpecialFields = [.. spec.SpecialFields.Fields],
            HasValueBtf = spec.HasBtf,
            HasKeyBtf = spec.KeyTypeId != 0,
            MapExtra = spec.MapExtra,
        };

    /// <summary>The single value of every global-data map, which programs address directly (lddw map_value).</summary>
    public static IReadOnlyList<MemoryRegion> GlobalDataRegions(CollectionSpec spec, IReadOnlyList<BpfMap> maps)
    {
        var regions = new List<MemoryRegion>();
        for (var i = 0; i < maps.Count; i++)
        {
            if (spec.Maps[i].IsGlobalData && maps[i] is ArrayMap array && array.ValueSize > 0)
            {
                var access = spec.Maps[i].IsReadOnly ? MemoryAccess.Read : MemoryAccess.ReadWrite;
                regions.Add(new MemoryRegion((ulong)array.ValueAddress(0), (ulong)array.ValueSize, access, RegionKind.HelperMemory));
            }
        }

        return regions;
    }

    /// <summary>The resolved <c>.kconfig</c> values into the object's <c>.kconfig</c> map (libbpf writes them before freezing it).</summary>
    public static void ApplyKconfig(CollectionSpec spec, IReadOnlyList<BpfMap> maps, byte[] values)
    {
        for (var i = 0; i < maps.Count; i++)
        {
            if (spec.Maps[i].IsGlobalData && spec.Maps[i].SectionName == ".kconfig")
            {
                Check(maps[i].Update(new byte[4], values, MapUpdateFlags.Any), maps[i]);
            }
        }
    }

    /// <summary>Initial data of global-data maps, and the declarative <c>.values</c> of program and map-in-map arrays.</summary>
    public static void ApplyInitialValues(CollectionSpec spec, IReadOnlyList<BpfMap> maps, NamedCollection<BpfProgram> programs)
    {
        for (var i = 0; i < maps.Count; i++)
        {
            var mapSpec = spec.Maps[i];
            var map = maps[i];
            if (mapSpec.IsGlobalData && !mapSpec.InitialData.IsDefaultOrEmpty)
            {
                Check(map.Update(new byte[4], mapSpec.InitialData.AsSpan(), MapUpdateFlags.Any), map);
            }

            foreach (var initial in mapSpec.InitialValues)
            {
                var error = map switch
                {
                    ProgramArrayMap programArray => programArray.SetProgram(initial.Index, programs[initial.TargetName]),
                    ArrayOfMapsMap outer => outer.SetInnerMap(initial.Index, maps.First(m => m.Name == initial.TargetName)),
                    HashOfMapsMap outer => outer.SetInnerMap(BitConverter.GetBytes(initial.Index), maps.First(m => m.Name == initial.TargetName)),
                    _ => Errno.EINVAL,
                };
                Check(error, map);
            }
        }
    }

    private static void Check(Errno error, BpfMap map)
    {
        if (error != Errno.None)
        {
            throw new ObjectLoadException($"initial values of map '{map.Name}' could not be set: {error}", sectionName: ".maps");
        }
    }
}

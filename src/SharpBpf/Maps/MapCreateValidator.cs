using SharpBpf.Btf;
namespace SharpBpf.Maps;

/// <summary>
/// The checks of BPF_MAP_CREATE in the kernel's order: generic attribute checks (<c>map_create</c>), the type's
/// <c>map_alloc_check</c>, then <c>map_check_btf</c> for special fields. Does not check names (libbpf truncates
/// them) nor privileges (the runtime is its own root).
/// </summary>
internal static partial class MapCreateValidator
{
    /// <summary>KMALLOC_MAX_SIZE on x86-64 (order-10 pages).</summary>
    internal const ulong KmallocMaxSize = 1UL << 22;
    /// <summary>PCPU_MIN_UNIT_SIZE: bound of one per-CPU value.</summary>
    internal const ulong PercpuMinUnitSize = 32 * 1024;
    /// <summary>sizeof(struct htab_elem) on x86-64, used in the kernel's size check (confirmed on 6.18: key+value 4194255 ok, 4194256 -E2BIG).</summary>
    internal const ulong HashElementHeaderSize = 48;
    internal const uint PageSize = 4096;

    private const MapCreateFlags ArrayFlagMask = MapCreateFlags.NumaNode | MapCreateFlags.Mmapable |
        MapCreateFlags.AccessMask | MapCreateFlags.PreserveElems | MapCreateFlags.InnerMap;
    private const MapCreateFlags HashFlagMask = MapCreateFlags.NoPrealloc | MapCreateFlags.NoCommonLru |
        MapCreateFlags.NumaNode | MapCreateFlags.AccessMask | MapCreateFlags.ZeroSeed;
    private const MapCreateFlags QueueStackFlagMask = MapCreateFlags.NumaNode | MapCreateFlags.AccessMask;
    private const MapCreateFlags RingbufFlagMask = MapCreateFlags.NumaNode;

    public static void Validate(MapDefinition def, bool isInnerTemplate = false)
    {
        ArgumentNullException.ThrowIfNull(def);
        CheckFieldsWellFormed(def);
        var errno = Check(def, out var reason);
        if (errno != Errno.None) throw new MapCreateException(def.Name, errno, reason);
        if (def.Type is MapType.ArrayOfMaps or MapType.HashOfMaps && !isInnerTemplate)
        {
            // libbpf passes fd 0 when there is no inner map; the kernel answers -EINVAL for an fd that is not a map
            if (def.InnerMap is null) throw new MapCreateException(def.Name, Errno.EINVAL, "map-in-map needs an inner map template");
            if (def.InnerMap.Type is MapType.ArrayOfMaps or MapType.HashOfMaps)
                throw new MapCreateException(def.Name, Errno.EINVAL, "only one level of map-in-map is supported");
            if (def.InnerMap.Type is MapType.ProgArray)
                throw new MapCreateException(def.Name, Errno.ENOTSUPP, "a prog_array cannot be an inner map");
            try
            {
                Validate(def.InnerMap, isInnerTemplate: true);
            }
            catch (MapCreateException inner)
            {
                throw new MapCreateException(def.Name, inner.Errno, $"inner map template: {inner.Reason}");
            }
        }
    }

    private static void CheckFieldsWellFormed(MapDefinition def)
    {
        if (def.SpecialFields.Count == 0) return;
        if (!def.HasValueBtf)
            throw new ArgumentException($"map '{def.Name}': special fields need value BTF", nameof(def));
        foreach (var field in def.SpecialFields)
        {
            if (field.Offset < 0 || field.Size <= 0 || (ulong)field.Offset + (ulong)field.Size > def.ValueSize)
                throw new ArgumentException($"map '{def.Name}': special field {field} lies outside the {def.ValueSize}-byte value", nameof(def));
        }
    }

    private static Errno Check(MapDefinition def, out string reason)
    {
        var flags = def.Flags;
        if ((flags & (MapCreateFlags.Rdonly | MapCreateFlags.Wronly)) == (MapCreateFlags.Rdonly | MapCreateFlags.Wronly))
            return Fail(Errno.EINVAL, "BPF_F_RDONLY and BPF_F_WRONLY together", out reason);
        if (def.MapExtra != 0 && def.Type is not MapType.BloomFilter)
            return Fail(Errno.EINVAL, "map_extra is only for bloom_filter maps", out reason);

        var typeErrno = def.Type switch
        {
            MapType.Array or MapType.PercpuArray => CheckArray(def, out reason),
            MapType.ProgArray or MapType.ArrayOfMaps => CheckFdArray(def, out reason),
            MapType.Hash or MapType.PercpuHash or MapType.LruHash or MapType.LruPercpuHash => CheckHash(def, out reason),
            MapType.HashOfMaps => def.ValueSize != 4
                ? Fail(Errno.EINVAL, "hash_of_maps value size must be 4", out reason)
                : CheckHash(def, out reason),
            MapType.Queue or MapType.Stack => CheckQueueStack(def, out reason),
            MapType.Ringbuf => CheckRingbuf(def, out reason),
            MapType.PerfEventArray => CheckFdArray(def, out reason),
            MapType.LpmTrie => CheckLpmTrie(def, out reason),
            MapType.BloomFilter => CheckBloomFilter(def, out reason),
            MapType.Devmap or MapType.DevmapHash => CheckDevmap(def, out reason),
            MapType.Cpumap => CheckCpumap(def, out reason),
            MapType.Xskmap => CheckXskmap(def, out reason),
            MapType.Sockmap or MapType.Sockhash => CheckSockmap(def, out reason),
            MapType.CgroupStorage or MapType.PercpuCgroupStorage => CheckCgroupStorage(def, out reason),
            MapType.SkStorage => CheckSkStorage(def, out reason),
            _ when Enum.IsDefined(def.Type) && def.Type != MapType.Unspec =>
                Fail(Errno.EOPNOTSUPP, $"map type {def.Type.ToKernelName()} is not supported by SharpBpf", out reason),
            _ => Fail(Errno.EINVAL, $"unknown map type {(uint)def.Type}", out reason),
        };
        if (typeErrno != Errno.None) return typeErrno;
        return CheckSpecialFields(def, out reason);
    }

    private static bool AccessOk(MapCreateFlags flags) =>
        (flags & (MapCreateFlags.RdonlyProg | MapCreateFlags.WronlyProg)) != (MapCreateFlags.RdonlyProg | MapCreateFlags.WronlyProg);

    private static Errno CheckArray(MapDefinition def, out string reason)
    {
        var percpu = def.Type == MapType.PercpuArray;
        if (def.MaxEntries == 0) return Fail(Errno.EINVAL, "max_entries must not be 0", out reason);
        if (def.KeySize != 4) return Fail(Errno.EINVAL, "array key size must be 4", out reason);
        if (def.ValueSize == 0) return Fail(Errno.EINVAL, "value size must not be 0", out reason);
        if ((def.Flags & ~ArrayFlagMask) != 0 || !AccessOk(def.Flags)) return Fail(Errno.EINVAL, "invalid map flags", out reason);
        if (percpu && (def.Flags & MapCreateFlags.NumaNode) != 0) return Fail(Errno.EINVAL, "per-CPU maps take no NUMA node", out reason);
        if (def.Type != MapType.Array && (def.Flags & (MapCreateFlags.Mmapable | MapCreateFlags.InnerMap)) != 0)
            return Fail(Errno.EINVAL, "BPF_F_MMAPABLE/BPF_F_INNER_MAP only for array maps", out reason);
        if (def.Type != MapType.PerfEventArray && (def.Flags & MapCreateFlags.PreserveElems) != 0)
            return Fail(Errno.EINVAL, "BPF_F_PRESERVE_ELEMS only for perf_event_array", out reason);
        if (def.ValueSize > int.MaxValue) return Fail(Errno.E2BIG, "value size too large", out reason);
        if (percpu && Round8(def.ValueSize) > PercpuMinUnitSize) return Fail(Errno.E2BIG, "per-CPU value larger than 32 KiB", out reason);
        if (def.Type == MapType.Array && (ulong)Round8(def.ValueSize) * def.MaxEntries > (1UL << 40))
            return Fail(Errno.ENOMEM, "array too large", out reason);
        reason = "";
        return Errno.None;
    }

    private static Errno CheckFdArray(MapDefinition def, out string reason)
    {
        if (def.ValueSize != 4) return Fail(Errno.EINVAL, "fd array value size must be 4", out reason);
        if ((def.Flags & (MapCreateFlags.RdonlyProg | MapCreateFlags.WronlyProg)) != 0)
            return Fail(Errno.EINVAL, "BPF_F_RDONLY_PROG/BPF_F_WRONLY_PROG not supported on fd arrays", out reason);
        return CheckArray(def, out reason);
    }

    private static Errno CheckHash(MapDefinition def, out string reason)
    {
        var percpu = def.Type is MapType.PercpuHash or MapType.LruPercpuHash;
        var lru = def.Type is MapType.LruHash or MapType.LruPercpuHash;
        var prealloc = (def.Flags & MapCreateFlags.NoPrealloc) == 0;
        var percpuLru = (def.Flags & MapCreateFlags.NoCommonLru) != 0;
        if ((def.Flags & ~HashFlagMask) != 0 || !AccessOk(def.Flags)) return Fail(Errno.EINVAL, "invalid map flags", out reason);
        if (!lru && percpuLru) return Fail(Errno.EINVAL, "BPF_F_NO_COMMON_LRU only for LRU maps", out reason);
        if (lru && !prealloc) return Fail(Errno.ENOTSUPP, "LRU maps cannot use BPF_F_NO_PREALLOC", out reason);
        if ((def.Flags & MapCreateFlags.NumaNode) != 0 && (percpu || percpuLru))
            return Fail(Errno.EINVAL, "per-CPU maps take no NUMA node", out reason);
        if (def.MaxEntries == 0 || def.KeySize == 0 || def.ValueSize == 0)
            return Fail(Errno.EINVAL, "max_entries, key size and value size must not be 0", out reason);
        if ((ulong)def.KeySize + def.ValueSize >= KmallocMaxSize - HashElementHeaderSize)
            return Fail(Errno.E2BIG, "key plus value too large", out reason);
        if (percpu && Round8(def.ValueSize) > PercpuMinUnitSize) return Fail(Errno.E2BIG, "per-CPU value larger than 32 KiB", out reason);
        reason = "";
        return Errno.None;
    }

    private static Errno CheckQueueStack(MapDefinition def, out string reason)
    {
        if (def.MaxEntries == 0 || def.KeySize != 0 || def.ValueSize == 0 ||
            (def.Flags & ~QueueStackFlagMask) != 0 || !AccessOk(def.Flags))
            return Fail(Errno.EINVAL, "queue/stack needs key size 0, a value size, max_entries and no unknown flags", out reason);
        if (def.ValueSize > KmallocMaxSize) return Fail(Errno.E2BIG, "value too large", out reason);
        reason = "";
        return Errno.None;
    }

    private static Errno CheckRingbuf(MapDefinition def, out string reason)
    {
        if ((def.Flags & ~RingbufFlagMask) != 0) return Fail(Errno.EINVAL, "invalid ringbuf flags", out reason);
        if (def.KeySize != 0 || def.ValueSize != 0 || !uint.IsPow2(def.MaxEntries) || def.MaxEntries % PageSize != 0)
            return Fail(Errno.EINVAL, "ringbuf needs key/value size 0 and a page-aligned power-of-2 size", out reason);
        if (def.MaxEntries > (1u << 30)) return Fail(Errno.E2BIG, "ringbuf too large", out reason);
        reason = "";
        return Errno.None;
    }

    private static Errno CheckSpecialFields(MapDefinition def, out string reason)
    {
        reason = "";
        if (def.SpecialFields.Count == 0) return Errno.None;
        if ((def.Flags & (MapCreateFlags.RdonlyProg | MapCreateFlags.WronlyProg)) != 0)
            return Fail(Errno.EACCES, "a value with special fields cannot be BPF_F_RDONLY_PROG/BPF_F_WRONLY_PROG", out reason);
        foreach (var field in def.SpecialFields)
        {
            var allowed = field.Kind switch
            {
                SpecialFieldKind.SpinLock or SpecialFieldKind.ResSpinLock => def.Type is MapType.Hash or MapType.Array or MapType.CgroupStorage or
                    MapType.SkStorage or MapType.InodeStorage or MapType.TaskStorage or MapType.CgrpStorage,
                SpecialFieldKind.Timer or SpecialFieldKind.Workqueue => def.Type is MapType.Hash or MapType.LruHash or MapType.Array,
                SpecialFieldKind.TaskWork => def.Type is MapType.Hash or MapType.LruHash or MapType.Array,
                _ => def.Type is MapType.Hash or MapType.LruHash or MapType.Array or MapType.PercpuHash or
                    MapType.LruPercpuHash or MapType.PercpuArray,
            };
            if (!allowed)
                return Fail(Errno.EOPNOTSUPP, $"{def.Type.ToKernelName()} maps cannot hold a {field.Kind}", out reason);
        }
        return Errno.None;
    }

    internal static uint Round8(uint size) => (uint)(((ulong)size + 7) & ~7UL);

    private static Errno Fail(Errno errno, string text, out string reason)
    {
        reason = text;
        return errno;
    }
}

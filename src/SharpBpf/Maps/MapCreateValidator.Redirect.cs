namespace SharpBpf.Maps;

/// <summary>
/// BPF_MAP_CREATE rules of the maps that hold kernel objects by fd or index: DEVMAP, DEVMAP_HASH, CPUMAP, XSKMAP,
/// SOCKMAP and SOCKHASH. Each limit was measured on Linux 6.18 (the oracle), not only read from the source.
/// </summary>
internal static partial class MapCreateValidator
{
    /// <summary>NR_CPUS of the oracle kernel's configuration: cpumap max_entries 256 is accepted, 257 is -E2BIG.</summary>
    internal const uint CpumapMaxEntries = 256;
    /// <summary>DEVMAP_HASH rounds its bucket count up to a power of two, which must fit: 2^31 ok, 2^31 + 1 -EINVAL.</summary>
    internal const uint DevmapHashMaxEntries = 1u << 31;
    /// <summary>MAX_BPF_STACK: a sockhash key must fit on a program's stack (512 ok, 513 -E2BIG).</summary>
    internal const uint SockhashMaxKeySize = 512;

    // DEV_CREATE_FLAG_MASK, SOCK_CREATE_FLAG_MASK and XSKMAP's mask: BPF_F_RDONLY_PROG/WRONLY_PROG are not in them.
    private const MapCreateFlags DeviceFlagMask = MapCreateFlags.NumaNode | MapCreateFlags.Rdonly | MapCreateFlags.Wronly;

    private static bool IsFdOrIdValueSize(uint size) => size is 4 or 8;

    private static Errno CheckDevmap(MapDefinition def, out string reason)
    {
        // The optional second u32 of a devmap value is the fd of a program to run on the target device.
        if (def.MaxEntries == 0 || def.KeySize != 4 || !IsFdOrIdValueSize(def.ValueSize) || (def.Flags & ~DeviceFlagMask) != 0)
            return Fail(Errno.EINVAL, "devmap needs key size 4, value size 4 or 8, max_entries and no flags but NUMA/RDONLY/WRONLY", out reason);
        if (def.Type == MapType.DevmapHash && def.MaxEntries > DevmapHashMaxEntries)
            return Fail(Errno.EINVAL, "devmap_hash max_entries above 2^31", out reason);
        reason = "";
        return Errno.None;
    }

    private static Errno CheckCpumap(MapDefinition def, out string reason)
    {
        if (def.MaxEntries == 0 || def.KeySize != 4 || !IsFdOrIdValueSize(def.ValueSize) || (def.Flags & ~MapCreateFlags.NumaNode) != 0)
            return Fail(Errno.EINVAL, "cpumap needs key size 4, value size 4 or 8, max_entries and no flags but NUMA", out reason);
        if (def.MaxEntries > CpumapMaxEntries)
            return Fail(Errno.E2BIG, $"cpumap max_entries above NR_CPUS ({CpumapMaxEntries})", out reason);
        reason = "";
        return Errno.None;
    }

    private static Errno CheckXskmap(MapDefinition def, out string reason)
    {
        if (def.MaxEntries == 0 || def.KeySize != 4 || def.ValueSize != 4 || (def.Flags & ~DeviceFlagMask) != 0)
            return Fail(Errno.EINVAL, "xskmap needs key and value size 4, max_entries and no flags but NUMA/RDONLY/WRONLY", out reason);
        reason = "";
        return Errno.None;
    }

    private static Errno CheckSockmap(MapDefinition def, out string reason)
    {
        var keyOk = def.Type == MapType.Sockmap ? def.KeySize == 4 : def.KeySize != 0;
        if (def.MaxEntries == 0 || !keyOk || !IsFdOrIdValueSize(def.ValueSize) || (def.Flags & ~DeviceFlagMask) != 0)
            return Fail(Errno.EINVAL, $"{def.Type.ToKernelName()} needs a valid key size, value size 4 or 8, max_entries and no flags but NUMA/RDONLY/WRONLY", out reason);
        if (def.Type == MapType.Sockhash && def.KeySize > SockhashMaxKeySize)
            return Fail(Errno.E2BIG, "sockhash key larger than the BPF stack", out reason);
        reason = "";
        return Errno.None;
    }
}

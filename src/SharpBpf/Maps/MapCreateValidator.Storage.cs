namespace SharpBpf.Maps;

/// <summary>
/// BPF_MAP_CREATE rules of LPM_TRIE, BLOOM_FILTER, CGROUP_STORAGE (shared and per-CPU) and SK_STORAGE. Each limit
/// was measured on Linux 6.18 (the oracle). Not checked: that an LPM trie's key BTF is a struct (SharpBpf's map
/// definition does not carry the key's BTF kind), and SK_STORAGE's -E2BIG value bound.
/// </summary>
internal static partial class MapCreateValidator
{
    /// <summary>offsetof(struct bpf_lpm_trie_key_u8, data): the u32 prefix length before the data.</summary>
    internal const uint LpmPrefixLengthSize = 4;
    /// <summary>LPM_DATA_SIZE_MAX: at most 256 data bytes (2048-bit prefixes).</summary>
    internal const uint LpmMaxDataSize = 256;
    /// <summary>LPM_VAL_SIZE_MAX measured: 4194024 accepted, 4194025 -EINVAL (KMALLOC_MAX_SIZE - 256 - node header).</summary>
    internal const uint LpmMaxValueSize = 4194024;
    /// <summary>Largest CGROUP_STORAGE value measured (65407 ok, 65408 -E2BIG); per-CPU ones stop at PCPU_MIN_UNIT_SIZE.</summary>
    internal const uint CgroupStorageMaxValueSize = 65407;
    /// <summary>The nr_hashes bits of a bloom filter's map_extra; any other bit is -EINVAL.</summary>
    internal const ulong BloomHashCountMask = 0xF;

    private const MapCreateFlags LpmFlagMask = MapCreateFlags.NoPrealloc | MapCreateFlags.NumaNode | MapCreateFlags.AccessMask;
    private const MapCreateFlags BloomFlagMask = MapCreateFlags.NumaNode | MapCreateFlags.ZeroSeed | MapCreateFlags.AccessMask;
    private const MapCreateFlags LocalStorageFlagMask = MapCreateFlags.NumaNode | MapCreateFlags.AccessMask;
    private const MapCreateFlags SkStorageFlagMask = MapCreateFlags.NoPrealloc | MapCreateFlags.Clone;

    private static Errno CheckLpmTrie(MapDefinition def, out string reason)
    {
        // The kernel allocates trie nodes on demand only, so a preallocated trie is refused rather than ignored.
        if (def.MaxEntries == 0 || (def.Flags & MapCreateFlags.NoPrealloc) == 0 || (def.Flags & ~LpmFlagMask) != 0 || !AccessOk(def.Flags))
            return Fail(Errno.EINVAL, "lpm_trie needs max_entries, BPF_F_NO_PREALLOC and no flags but NUMA/access", out reason);
        if (def.KeySize <= LpmPrefixLengthSize || def.KeySize > LpmPrefixLengthSize + LpmMaxDataSize)
            return Fail(Errno.EINVAL, "lpm_trie key must be a u32 prefix length and 1 to 256 data bytes", out reason);
        if (def.ValueSize == 0 || def.ValueSize > LpmMaxValueSize)
            return Fail(Errno.EINVAL, "lpm_trie value size out of range", out reason);
        reason = "";
        return Errno.None;
    }

    private static Errno CheckBloomFilter(MapDefinition def, out string reason)
    {
        if (def.KeySize != 0 || def.ValueSize == 0 || def.MaxEntries == 0 || (def.Flags & ~BloomFlagMask) != 0 ||
            !AccessOk(def.Flags) || (def.MapExtra & ~BloomHashCountMask) != 0)
            return Fail(Errno.EINVAL, "bloom_filter needs key size 0, a value size, max_entries, known flags and at most 15 hashes", out reason);
        if (def.ValueSize > KmallocMaxSize) return Fail(Errno.E2BIG, "bloom_filter value too large", out reason);
        reason = "";
        return Errno.None;
    }

    private static Errno CheckCgroupStorage(MapDefinition def, out string reason)
    {
        // Keys: the cgroup's inode id (u64) or struct bpf_cgroup_storage_key { u64 cgroup_inode_id; u32 attach_type; }.
        if (def.KeySize is not (8 or 16) || def.MaxEntries != 0 || def.ValueSize == 0 || (def.Flags & ~LocalStorageFlagMask) != 0)
            return Fail(Errno.EINVAL, "cgroup_storage needs key size 8 or 16, max_entries 0, a value size and no flags but NUMA/access", out reason);
        var limit = def.Type == MapType.PercpuCgroupStorage ? PercpuMinUnitSize : CgroupStorageMaxValueSize;
        if (def.ValueSize > limit) return Fail(Errno.E2BIG, "cgroup_storage value too large", out reason);
        reason = "";
        return Errno.None;
    }

    private static Errno CheckSkStorage(MapDefinition def, out string reason)
    {
        if ((def.Flags & MapCreateFlags.NoPrealloc) == 0 || (def.Flags & ~SkStorageFlagMask) != 0 || def.MaxEntries != 0 ||
            def.KeySize != 4 || def.ValueSize == 0)
            return Fail(Errno.EINVAL, "sk_storage needs BPF_F_NO_PREALLOC, max_entries 0, key size 4 and a value size", out reason);
        // The key names a socket fd and the value layout is checked against BTF, so both types must be described.
        if (!def.HasKeyBtf || !def.HasValueBtf) return Fail(Errno.EINVAL, "sk_storage needs key and value BTF", out reason);
        reason = "";
        return Errno.None;
    }
}

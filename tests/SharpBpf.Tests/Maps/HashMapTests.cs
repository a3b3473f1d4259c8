using SharpBpf.Maps;
using static SharpBpf.Tests.Maps.MapTestKit;

namespace SharpBpf.Tests.Maps;

public class HashMapTests
{
    [Fact]
    public void Flags_give_the_kernel_errnos()
    {
        using var map = Create(MapType.Hash, 4, 8, 4);
        Assert.Equal(Errno.ENOENT, map.Update(U32(1), U64(1), MapUpdateFlags.Exist));
        Assert.Equal(Errno.None, map.Update(U32(1), U64(1), MapUpdateFlags.NoExist));
        Assert.Equal(Errno.EEXIST, map.Update(U32(1), U64(2), MapUpdateFlags.NoExist));
        Assert.Equal(Errno.None, map.Update(U32(1), U64(3), MapUpdateFlags.Exist));
        Assert.Equal(3ul, ReadU64(HostLookup(map, U32(1))));
        Assert.Equal(-22, ProgramUpdate(map, U32(1), U64(1), 3));
        Assert.Equal(-22, ProgramUpdate(map, U32(1), U64(1), 8));
        Assert.Equal(-22, ProgramUpdate(map, U32(1), U64(1), 4)); // BPF_F_LOCK without a spin lock
    }

    [Fact]
    public void Full_map_refuses_new_keys_with_E2BIG_but_replaces_existing_ones()
    {
        using var map = Create(MapType.Hash, 4, 8, 2);
        Assert.Equal(Errno.None, map.Update(U32(1), U64(1)));
        Assert.Equal(Errno.None, map.Update(U32(2), U64(2)));
        Assert.Equal(Errno.E2BIG, map.Update(U32(3), U64(3)));
        Assert.Equal(-7, ProgramUpdate(map, U32(3), U64(3), 0));
        Assert.Equal(Errno.None, map.Update(U32(2), U64(20)));
        Assert.Equal(2, map.Count);
    }

    [Theory]
    [InlineData(MapCreateFlags.None)]
    [InlineData(MapCreateFlags.NoPrealloc)]
    public void Filling_emptying_and_refilling_a_large_map_keeps_every_key(MapCreateFlags flags)
    {
        // Preallocated: the free list grows past its first size and every element is reused; max_entries still binds.
        const uint entries = 1000;
        using var map = Create(MapType.Hash, 4, 8, entries, flags);
        for (uint round = 0; round < 2; round++)
        {
            for (uint i = 0; i < entries; i++) Assert.Equal(0, ProgramUpdate(map, U32(i + round * entries), U64(i * 3 + round), 0));
            Assert.Equal(-7, ProgramUpdate(map, U32(99_999), U64(0), 0)); // -E2BIG
            Assert.Equal((int)entries, map.Count);
            for (uint i = 0; i < entries; i++) Assert.Equal(i * 3 + round, ReadU64(HostLookup(map, U32(i + round * entries))));
            for (uint i = 0; i < entries; i++) Assert.Equal(0, ProgramDelete(map, U32(i + round * entries)));
            Assert.Equal(0, map.Count);
        }
    }

    [Fact]
    public void Delete_and_lookup_missing_keys()
    {
        using var map = Create(MapType.Hash, 4, 8, 4);
        Assert.Equal(Errno.ENOENT, map.Delete(U32(1)));
        Assert.Equal(-2, ProgramDelete(map, U32(1)));
        map.Update(U32(1), U64(1));
        Assert.Equal(0, ProgramDelete(map, U32(1)));
        Assert.Null(HostLookup(map, U32(1)));
        Assert.Null(ProgramLookup(map, U32(1)));
        Assert.Equal(0, map.Count);
    }

    [Fact]
    public void Get_next_key_visits_every_key_once_in_a_stable_order()
    {
        using var map = Create(MapType.Hash, 4, 8, 64);
        for (uint i = 0; i < 50; i++) map.Update(U32(i * 7), U64(i));
        var first = map.Keys();
        var second = map.Keys();
        Assert.Equal(50, first.Count);
        Assert.Equal(first, second);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (uint)i * 7).Order(),
            first.Select(k => BitConverter.ToUInt32(k)).Order());
        var next = new byte[4];
        Assert.Equal(Errno.None, map.GetNextKey(U32(12345), next));
        Assert.Equal(first[0], next);
        Assert.Equal(Errno.ENOENT, map.GetNextKey(first[^1], next));
    }

    [Fact]
    public void Get_next_key_of_an_empty_map_is_ENOENT()
    {
        using var map = Create(MapType.Hash, 4, 8, 4);
        Assert.Equal(Errno.ENOENT, map.GetNextKey([], new byte[4]));
    }

    [Fact]
    public void Replacing_update_gives_a_new_element_and_lookup_and_delete_pops()
    {
        using var map = Create(MapType.Hash, 4, 8, 4);
        map.Update(U32(1), U64(1));
        using var run = map.Options.Epochs.EnterRun();
        var before = ProgramLookupAddress(map, U32(1));
        map.Update(U32(1), U64(2));
        var after = ProgramLookupAddress(map, U32(1));
        Assert.NotEqual(before, after);
        unsafe { Assert.Equal(1ul, *(ulong*)before); } // the old element stays readable during the run
        var value = new byte[8];
        Assert.Equal(Errno.None, map.LookupAndDelete(U32(1), value));
        Assert.Equal(2ul, ReadU64(value));
        Assert.Equal(Errno.ENOENT, map.LookupAndDelete(U32(1), value));
    }

    [Fact]
    public void New_elements_are_zero_beyond_the_copied_value()
    {
        using var map = Create(MapType.Hash, 8, 12, 4);
        map.Update(U64(1), Filled(12, 0xAB));
        Assert.Equal(Filled(12, 0xAB), ProgramLookup(map, U64(1)));
    }
}

public class LruHashTests
{
    [Fact]
    public void Eviction_batch_follows_the_kernel_target_free()
    {
        using var small = Create(MapType.LruHash, 4, 8, 8, cpus: 2);
        Assert.Equal(2, ((HashMap)small).LruEvictionBatch);
        using var large = Create(MapType.LruHash, 4, 8, 4096, cpus: 2);
        Assert.Equal(128, ((HashMap)large).LruEvictionBatch);
        using var tiny = Create(MapType.LruHash, 4, 8, 2, cpus: 4);
        Assert.Equal(1, ((HashMap)tiny).LruEvictionBatch);
        using var percpuLru = Create(MapType.LruHash, 4, 8, 4096, MapCreateFlags.NoCommonLru);
        Assert.Equal(4, ((HashMap)percpuLru).LruEvictionBatch);
    }

    [Fact]
    public void Inserts_into_a_full_map_succeed_and_evict_the_oldest_batch()
    {
        using var map = Create(MapType.LruHash, 4, 8, 8, cpus: 2); // batch 2
        for (uint i = 0; i < 8; i++) Assert.Equal(Errno.None, map.Update(U32(i), U64(i)));
        Assert.Equal(Errno.None, map.Update(U32(100), U64(100)));
        Assert.Equal(7, map.Count);
        Assert.Null(HostLookup(map, U32(0)));
        Assert.Null(HostLookup(map, U32(1)));
        for (uint i = 2; i < 8; i++) Assert.NotNull(HostLookup(map, U32(i)));
        Assert.NotNull(HostLookup(map, U32(100)));
    }

    [Fact]
    public void Full_map_of_64_on_2_cpus_keeps_what_linux_6_18_keeps()
    {
        // measured with bpftool on the project machine (2 CPUs, updates pinned to CPU 0): keys 16..64 remain
        using var map = Create(MapType.LruHash, 4, 8, 64, cpus: 2);
        for (uint i = 0; i <= 64; i++) Assert.Equal(Errno.None, map.Update(U32(i), U64(1)));
        Assert.Equal(Enumerable.Range(16, 49).Select(i => (uint)i), map.Keys().Select(k => BitConverter.ToUInt32(k)).Order());
    }

    [Fact]
    public void Recently_looked_up_keys_survive_eviction()
    {
        using var map = Create(MapType.LruHash, 4, 8, 8, cpus: 2);
        for (uint i = 0; i < 8; i++) map.Update(U32(i), U64(i));
        Assert.NotNull(ProgramLookup(map, U32(0)));
        Assert.NotNull(ProgramLookup(map, U32(1)));
        map.Update(U32(100), U64(100));
        Assert.NotNull(HostLookup(map, U32(0)));
        Assert.NotNull(HostLookup(map, U32(1)));
        Assert.Null(HostLookup(map, U32(2)));
        Assert.Null(HostLookup(map, U32(3)));
    }

    [Fact]
    public void Host_lookups_do_not_count_as_use()
    {
        using var map = Create(MapType.LruHash, 4, 8, 8, cpus: 2);
        for (uint i = 0; i < 8; i++) map.Update(U32(i), U64(i));
        Assert.NotNull(HostLookup(map, U32(0)));
        map.Update(U32(100), U64(100));
        Assert.Null(HostLookup(map, U32(0)));
    }

    [Fact]
    public void Lru_flags_and_a_failing_update_on_a_full_map_still_evicts_like_the_kernel()
    {
        using var map = Create(MapType.LruHash, 4, 8, 4, cpus: 2); // batch 1
        Assert.Equal(Errno.EINVAL, map.Update(U32(1), U64(1), MapUpdateFlags.Lock));
        for (uint i = 0; i < 4; i++) map.Update(U32(i), U64(i));
        Assert.Equal(Errno.EEXIST, map.Update(U32(3), U64(9), MapUpdateFlags.NoExist));
        Assert.Equal(3, map.Count);
        Assert.Null(HostLookup(map, U32(0)));
        Assert.Equal(Errno.ENOENT, map.Update(U32(50), U64(9), MapUpdateFlags.Exist));
    }

    [Fact]
    public void Lru_percpu_hash_keeps_values_per_cpu()
    {
        using var map = Create(MapType.LruPercpuHash, 4, 8, 8, cpus: 2);
        Assert.Equal(0, ProgramUpdate(map, U32(1), U64(3), 0, cpu: 0));
        Assert.Equal(0, ProgramUpdate(map, U32(1), U64(4), 2, cpu: 1));
        var read = HostLookup(map, U32(1))!;
        Assert.Equal(3ul, ReadU64(read.AsSpan(0)));
        Assert.Equal(4ul, ReadU64(read.AsSpan(8)));
    }
}

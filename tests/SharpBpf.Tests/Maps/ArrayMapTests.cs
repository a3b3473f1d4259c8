using SharpBpf.Maps;
using static SharpBpf.Tests.Maps.MapTestKit;

namespace SharpBpf.Tests.Maps;

public class ArrayMapTests
{
    [Fact]
    public void Elements_exist_zeroed_from_creation()
    {
        using var map = Create(MapType.Array, 4, 8, 3);
        Assert.Equal(new byte[8], HostLookup(map, U32(2)));
        Assert.Equal(3, map.Count);
    }

    [Fact]
    public void Update_and_lookup_round_trip_from_host_and_program()
    {
        using var map = Create(MapType.Array, 4, 8, 3);
        Assert.Equal(Errno.None, map.Update(U32(1), U64(42)));
        Assert.Equal(42ul, ReadU64(HostLookup(map, U32(1))));
        Assert.Equal(0, ProgramUpdate(map, U32(2), U64(7), 0));
        Assert.Equal(7ul, ReadU64(ProgramLookup(map, U32(2))));
    }

    [Fact]
    public void Out_of_range_index_is_E2BIG_for_update_and_ENOENT_for_lookup()
    {
        using var map = Create(MapType.Array, 4, 8, 3);
        Assert.Equal(Errno.E2BIG, map.Update(U32(3), U64(1)));
        Assert.Equal(Errno.ENOENT, map.Lookup(U32(3), new byte[8]));
        Assert.Null(ProgramLookup(map, U32(3)));
        Assert.Equal(-7, ProgramUpdate(map, U32(3), U64(1), 0));
    }

    [Fact]
    public void Unknown_flags_are_EINVAL_before_the_index_check()
    {
        using var map = Create(MapType.Array, 4, 8, 3);
        Assert.Equal(-22, ProgramUpdate(map, U32(99), U64(1), 8));
        Assert.Equal(-22, ProgramUpdate(map, U32(99), U64(1), 3));
    }

    [Fact]
    public void NoExist_is_EEXIST_after_the_index_check()
    {
        using var map = Create(MapType.Array, 4, 8, 3);
        Assert.Equal(Errno.EEXIST, map.Update(U32(0), U64(1), MapUpdateFlags.NoExist));
        Assert.Equal(Errno.E2BIG, map.Update(U32(5), U64(1), MapUpdateFlags.NoExist));
        Assert.Equal(Errno.None, map.Update(U32(0), U64(1), MapUpdateFlags.Exist));
    }

    [Fact]
    public void Delete_is_EINVAL()
    {
        using var map = Create(MapType.Array, 4, 8, 3);
        Assert.Equal(Errno.EINVAL, map.Delete(U32(0)));
        Assert.Equal(-22, ProgramDelete(map, U32(0)));
    }

    [Fact]
    public void Lock_flag_without_a_spin_lock_is_EINVAL()
    {
        using var map = Create(MapType.Array, 4, 8, 3);
        Assert.Equal(Errno.EINVAL, map.Update(U32(0), U64(1), MapUpdateFlags.Lock));
        Assert.Equal(-22, ProgramUpdate(map, U32(0), U64(1), 4));
        Assert.Equal(Errno.EINVAL, map.Lookup(U32(0), new byte[8], MapUpdateFlags.Lock));
        Assert.Equal(Errno.EINVAL, map.Lookup(U32(0), new byte[8], MapUpdateFlags.Exist));
    }

    [Fact]
    public void Get_next_key_walks_indexes()
    {
        using var map = Create(MapType.Array, 4, 8, 3);
        var next = new byte[4];
        Assert.Equal(Errno.None, map.GetNextKey([], next));
        Assert.Equal(U32(0), next);
        Assert.Equal(Errno.None, map.GetNextKey(U32(1), next));
        Assert.Equal(U32(2), next);
        Assert.Equal(Errno.ENOENT, map.GetNextKey(U32(2), next));
        Assert.Equal(Errno.None, map.GetNextKey(U32(77), next));
        Assert.Equal(U32(0), next);
        Assert.Equal([U32(0), U32(1), U32(2)], map.Keys());
    }

    [Fact]
    public void Value_address_is_stable_and_program_writes_are_visible()
    {
        using var map = Create(MapType.Array, 4, 8, 2);
        using var run = map.Options.Epochs.EnterRun();
        var first = ProgramLookupAddress(map, U32(1));
        map.Update(U32(1), U64(5));
        Assert.Equal(first, ProgramLookupAddress(map, U32(1)));
        unsafe { *(ulong*)first = 99; }
        Assert.Equal(99ul, ReadU64(HostLookup(map, U32(1))));
    }

    [Fact]
    public void Typed_view_reads_and_writes_structs()
    {
        using var map = Create(MapType.Array, 4, 8, 2);
        var view = map.As<uint, long>();
        Assert.Equal(Errno.None, view.Update(1, -5));
        Assert.True(view.TryGetValue(1, out var value));
        Assert.Equal(-5, value);
        Assert.False(view.TryGetValue(2, out _));
        Assert.Equal([0u, 1u], view.Keys());
        Assert.Throws<ArgumentException>(() => map.As<ulong, long>());
    }

    [Fact]
    public void Short_buffers_are_api_misuse()
    {
        using var map = Create(MapType.Array, 4, 8, 2);
        Assert.Throws<ArgumentException>(() => map.Lookup(U32(0), new byte[4]));
        Assert.Throws<ArgumentException>(() => map.Update(new byte[2], U64(1)));
    }
}

public class PerCpuMapTests
{
    [Fact]
    public void Host_value_is_every_cpu_rounded_to_8_bytes()
    {
        using var map = Create(MapType.PercpuArray, 4, 4, 2, cpus: 3);
        Assert.Equal(24, map.HostValueSize);
        var all = new byte[24];
        all[0] = 1; all[8] = 2; all[16] = 3; all[4] = 0xEE;
        Assert.Equal(Errno.None, map.Update(U32(0), all));
        var read = HostLookup(map, U32(0))!;
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0 }, read);
        Assert.Equal(new byte[] { 2, 0, 0, 0 }, ProgramLookup(map, U32(0), cpu: 1));
    }

    [Fact]
    public void Program_update_writes_only_the_current_cpu()
    {
        using var map = Create(MapType.PercpuArray, 4, 8, 1, cpus: 2);
        Assert.Equal(0, ProgramUpdate(map, U32(0), U64(9), 0, cpu: 1));
        var read = HostLookup(map, U32(0))!;
        Assert.Equal(0ul, ReadU64(read.AsSpan(0)));
        Assert.Equal(9ul, ReadU64(read.AsSpan(8)));
        var view = map.As<uint, ulong>();
        Assert.Equal(new ulong[] { 0, 9 }, view.TryGetPerCpu(0));
    }

    [Fact]
    public void Host_update_flags_and_lookup_percpu_elem()
    {
        using var map = Create(MapType.PercpuArray, 4, 8, 1, cpus: 2);
        Assert.Equal(Errno.EINVAL, map.Update(U32(0), new byte[16], MapUpdateFlags.Lock));
        Assert.Equal(Errno.EEXIST, map.Update(U32(0), new byte[16], MapUpdateFlags.NoExist));
        Assert.Equal(Errno.E2BIG, map.Update(U32(1), new byte[16]));
        unsafe
        {
            var key = U32(0);
            fixed (byte* k = key)
            {
                Assert.NotEqual(0, map.LookupPercpuElem((nint)k, 1));
                Assert.Equal(0, map.LookupPercpuElem((nint)k, 2));
            }
        }
    }

    [Fact]
    public void Percpu_hash_new_element_from_program_zeroes_other_cpus_and_updates_in_place()
    {
        using var map = Create(MapType.PercpuHash, 4, 8, 4, cpus: 2);
        Assert.Equal(0, ProgramUpdate(map, U32(1), U64(5), 0, cpu: 1));
        var read = HostLookup(map, U32(1))!;
        Assert.Equal(0ul, ReadU64(read.AsSpan(0)));
        Assert.Equal(5ul, ReadU64(read.AsSpan(8)));
        nint before;
        using (map.Options.Epochs.EnterRun(1)) before = ProgramLookupAddress(map, U32(1));
        Assert.Equal(0, ProgramUpdate(map, U32(1), U64(6), 0, cpu: 1));
        using (map.Options.Epochs.EnterRun(1)) Assert.Equal(before, ProgramLookupAddress(map, U32(1)));
        Assert.Equal(-22, ProgramUpdate(map, U32(1), U64(6), 4, cpu: 1));
        Assert.Equal(6ul, ReadU64(HostLookup(map, U32(1))!.AsSpan(8)));
    }
}

using SharpBpf.Maps;

namespace SharpBpf.Tests.Maps;

public unsafe class RedirectMapTests
{
    private static BpfMap Create(MapType type, uint valueSize = 8, uint maxEntries = 4) =>
        BpfMap.Create(new MapDefinition("m", type, 4, valueSize, maxEntries), MapTestKit.Options() with { InterfaceExists = i => i is 1 or 2 });

    private static byte[] Value(uint first, uint second = 0) => [.. MapTestKit.U32(first), .. MapTestKit.U32(second)];

    [Fact]
    public void Devmap_holds_existing_devices_and_reads_back_ifindex_and_program_id()
    {
        using var map = Create(MapType.Devmap);
        Assert.Equal(Errno.None, map.Update(MapTestKit.U32(0), Value(2, 0xFFFF_FFFF)));
        Assert.Equal(Errno.EINVAL, map.Update(MapTestKit.U32(1), Value(3)));
        Assert.Equal(Errno.EINVAL, map.Update(MapTestKit.U32(1), Value(1, 5)));
        Assert.Equal(Errno.E2BIG, map.Update(MapTestKit.U32(4), Value(1)));
        Assert.Equal(Errno.EEXIST, map.Update(MapTestKit.U32(1), Value(1), MapUpdateFlags.NoExist));
        Assert.Equal(Errno.EINVAL, map.Update(MapTestKit.U32(1), Value(1), (MapUpdateFlags)3));
        var value = new byte[8];
        Assert.Equal(Errno.None, map.Lookup(MapTestKit.U32(0), value));
        Assert.Equal(Value(2), value);
        Assert.Equal(Errno.ENOENT, map.Lookup(MapTestKit.U32(1), value));
        Assert.Equal(Errno.None, map.Update(MapTestKit.U32(0), Value(0)));
        Assert.Equal(Errno.ENOENT, map.Lookup(MapTestKit.U32(0), value));
        Assert.Equal(Errno.None, map.Delete(MapTestKit.U32(3)));
        Assert.Equal(Errno.EINVAL, map.Delete(MapTestKit.U32(4)));
        Assert.Equal(4, map.Keys().Count);
    }

    [Fact]
    public void Cpumap_checks_queue_size_and_cpu()
    {
        using var map = Create(MapType.Cpumap);
        Assert.Equal(Errno.EOVERFLOW, map.Update(MapTestKit.U32(0), Value(16385)));
        Assert.Equal(Errno.None, map.Update(MapTestKit.U32(0), Value(16384)));
        Assert.Equal(Errno.ENODEV, map.Update(MapTestKit.U32(2), Value(64)));
        var value = new byte[8];
        Assert.Equal(Errno.None, map.Lookup(MapTestKit.U32(0), value));
        Assert.Equal(16384u, BitConverter.ToUInt32(value));
    }

    [Fact]
    public void Xskmap_refuses_every_fd_and_cannot_be_read()
    {
        using var map = Create(MapType.Xskmap, valueSize: 4);
        Assert.Equal(Errno.EBADF, map.Update(MapTestKit.U32(0), MapTestKit.U32(3)));
        Assert.Equal(Errno.EOPNOTSUPP, map.Lookup(MapTestKit.U32(0), new byte[4]));
        Assert.Equal(Errno.None, map.Delete(MapTestKit.U32(0)));
        var key = MapTestKit.U32(0);
        fixed (byte* k = key) Assert.Equal(0, map.LookupElem((nint)k));
    }

    [Fact]
    public void Devmap_hash_iterates_by_bucket_newest_first()
    {
        using var map = Create(MapType.DevmapHash, valueSize: 4);
        foreach (var key in new uint[] { 5, 100, 101, 102 }) Assert.Equal(Errno.None, map.Update(MapTestKit.U32(key), MapTestKit.U32(1)));
        Assert.Equal(Errno.E2BIG, map.Update(MapTestKit.U32(103), MapTestKit.U32(1)));
        Assert.Equal(Errno.EINVAL, map.Update(MapTestKit.U32(5), MapTestKit.U32(0)));
        Assert.Equal(Errno.EEXIST, map.Update(MapTestKit.U32(5), MapTestKit.U32(1), MapUpdateFlags.NoExist));

        // Buckets of 4: 100 → 0; 5 and 101 → 1 (101 added later, so first); 102 → 2. The order Linux 6.18 gave.
        Assert.Equal([100u, 101u, 5u, 102u], map.Keys().Select(k => BitConverter.ToUInt32(k)));
        Assert.Equal(Errno.ENOENT, map.Delete(MapTestKit.U32(7)));
    }
}

using SharpBpf.Maps;

namespace SharpBpf.Tests.Maps;

public unsafe class BloomAndPerfMapTests
{
    [Fact]
    public void Bloom_filter_never_misses_a_pushed_value()
    {
        using var map = (BloomFilterMap)BpfMap.Create(new MapDefinition("m", MapType.BloomFilter, 0, 4, 100) { MapExtra = 3 }, MapTestKit.Options());
        Assert.Equal(3, map.HashCount);
        Assert.Equal(512UL, map.BitCount);
        for (uint v = 0; v < 100; v++) Assert.Equal(Errno.None, map.Update([], MapTestKit.U32(v * 7919)));
        for (uint v = 0; v < 100; v++) Assert.Equal(Errno.None, map.Lookup([], MapTestKit.U32(v * 7919)));
        var falsePositives = Enumerable.Range(1000, 1000).Count(v => map.Lookup([], MapTestKit.U32((uint)v * 7919 + 1)) == Errno.None);
        Assert.InRange(falsePositives, 0, 300);
    }

    [Fact]
    public void Bloom_filter_errno_are_the_kernels()
    {
        using var map = BpfMap.Create(new MapDefinition("m", MapType.BloomFilter, 0, 4, 16), MapTestKit.Options());
        Assert.Equal(Errno.EINVAL, map.Update([], MapTestKit.U32(1), MapUpdateFlags.NoExist));
        Assert.Equal(Errno.ENOENT, map.Lookup([], MapTestKit.U32(1)));
        Assert.Equal(Errno.EOPNOTSUPP, map.Delete([]));
        Assert.Equal(Errno.EOPNOTSUPP, map.GetNextKey([], new byte[4]));
        var value = MapTestKit.U32(42);
        using var run = map.Options.Epochs.EnterRun();
        fixed (byte* v = value)
        {
            Assert.Equal(-(long)Errno.ENOENT, map.PeekElem((nint)v));
            Assert.Equal(0, map.PushElem((nint)v, 0));
            Assert.Equal(0, map.PeekElem((nint)v));
            Assert.Equal(-(long)Errno.EOPNOTSUPP, map.PopElem((nint)v));
        }
    }

    [Fact]
    public void Perf_event_output_reaches_an_open_buffer_of_the_running_cpu()
    {
        using var map = (PerfEventArrayMap)BpfMap.Create(new MapDefinition("m", MapType.PerfEventArray, 4, 4, 2), MapTestKit.Options());
        using (map.Options.Epochs.EnterRun(cpu: 1))
        {
            Assert.Equal(Errno.ENOENT, map.Output(PerfEventArrayMap.CurrentCpuIndex, [1, 2], []));
            Assert.Equal(Errno.None, map.OpenBuffer(0));
            Assert.Equal(Errno.None, map.OpenBuffer(1));
            Assert.Equal(Errno.None, map.Output(PerfEventArrayMap.CurrentCpuIndex, [1, 2], [9]));
            Assert.Equal(Errno.EOPNOTSUPP, map.Output(0, [3], []));
            Assert.Equal(Errno.E2BIG, map.Output(2, [3], []));
        }

        var records = map.ReadRecords(1);
        Assert.Equal([new byte[] { 1, 2, 9 }], records);
        Assert.Empty(map.ReadRecords(1));
        Assert.Equal(Errno.ENOTSUPP, map.Lookup(MapTestKit.U32(0), new byte[4]));
        Assert.Equal(Errno.EBADF, map.Update(MapTestKit.U32(0), MapTestKit.U32(3)));
        Assert.Equal(Errno.None, map.Delete(MapTestKit.U32(0)));
        Assert.Equal(Errno.ENOENT, map.Delete(MapTestKit.U32(0)));
        Assert.Equal(Errno.E2BIG, map.Delete(MapTestKit.U32(5)));
    }
}

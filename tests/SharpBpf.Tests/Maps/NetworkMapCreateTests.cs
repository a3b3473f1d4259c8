using SharpBpf.Maps;

namespace SharpBpf.Tests.Maps;

/// <summary>BPF_MAP_CREATE answers for the map types real XDP/TC objects declare, as measured on Linux 6.18.</summary>
public class NetworkMapCreateTests
{
    private const MapCreateFlags NoPrealloc = MapCreateFlags.NoPrealloc;

    private static Errno Try(MapType type, uint key, uint value, uint max, MapCreateFlags flags = MapCreateFlags.None,
        ulong extra = 0, bool btf = false)
    {
        try
        {
            using var map = BpfMap.Create(new MapDefinition("m", type, key, value, max, flags)
            {
                MapExtra = extra,
                HasKeyBtf = btf,
                HasValueBtf = btf,
            }, MapTestKit.Options());
            return Errno.None;
        }
        catch (MapCreateException e)
        {
            return e.Errno;
        }
    }

    [Theory]
    [InlineData(MapType.LpmTrie, 8u, 8u, 16u, NoPrealloc, Errno.None)]
    [InlineData(MapType.LpmTrie, 8u, 8u, 16u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.LpmTrie, 8u, 8u, 0u, NoPrealloc, Errno.EINVAL)]
    [InlineData(MapType.LpmTrie, 4u, 8u, 16u, NoPrealloc, Errno.EINVAL)]
    [InlineData(MapType.LpmTrie, 5u, 8u, 16u, NoPrealloc, Errno.None)]
    [InlineData(MapType.LpmTrie, 260u, 8u, 16u, NoPrealloc, Errno.None)]
    [InlineData(MapType.LpmTrie, 261u, 8u, 16u, NoPrealloc, Errno.EINVAL)]
    [InlineData(MapType.LpmTrie, 8u, 0u, 16u, NoPrealloc, Errno.EINVAL)]
    [InlineData(MapType.LpmTrie, 8u, 4194024u, 16u, NoPrealloc, Errno.None)]
    [InlineData(MapType.LpmTrie, 8u, 4194025u, 16u, NoPrealloc, Errno.EINVAL)]
    [InlineData(MapType.LpmTrie, 8u, 8u, 16u, NoPrealloc | MapCreateFlags.NumaNode, Errno.None)]
    [InlineData(MapType.LpmTrie, 8u, 8u, 16u, NoPrealloc | MapCreateFlags.ZeroSeed, Errno.EINVAL)]
    [InlineData(MapType.LpmTrie, 8u, 8u, 16u, NoPrealloc | MapCreateFlags.RdonlyProg, Errno.None)]
    [InlineData(MapType.LpmTrie, 8u, 8u, 16u, NoPrealloc | MapCreateFlags.RdonlyProg | MapCreateFlags.WronlyProg, Errno.EINVAL)]
    [InlineData(MapType.LpmTrie, 8u, 8u, 16u, NoPrealloc | MapCreateFlags.Mmapable, Errno.EINVAL)]
    [InlineData(MapType.BloomFilter, 0u, 4u, 16u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.BloomFilter, 4u, 4u, 16u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.BloomFilter, 0u, 0u, 16u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.BloomFilter, 0u, 4u, 0u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.BloomFilter, 0u, 4u, 16u, NoPrealloc, Errno.EINVAL)]
    [InlineData(MapType.BloomFilter, 0u, 4u, 16u, MapCreateFlags.ZeroSeed, Errno.None)]
    [InlineData(MapType.BloomFilter, 0u, 4194304u, 16u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.BloomFilter, 0u, 4194305u, 16u, MapCreateFlags.None, Errno.E2BIG)]
    [InlineData(MapType.Devmap, 4u, 4u, 16u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.Devmap, 4u, 8u, 16u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.Devmap, 4u, 12u, 16u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Devmap, 8u, 4u, 16u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Devmap, 4u, 4u, 0u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Devmap, 4u, 4u, 16u, NoPrealloc, Errno.EINVAL)]
    [InlineData(MapType.Devmap, 4u, 4u, 16u, MapCreateFlags.Rdonly, Errno.None)]
    [InlineData(MapType.Devmap, 4u, 4u, 16u, MapCreateFlags.RdonlyProg, Errno.EINVAL)]
    [InlineData(MapType.Devmap, 4u, 4u, 0x8000_0000u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.DevmapHash, 4u, 8u, 3u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.DevmapHash, 4u, 4u, 0x8000_0001u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Cpumap, 4u, 8u, 256u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.Cpumap, 4u, 8u, 257u, MapCreateFlags.None, Errno.E2BIG)]
    [InlineData(MapType.Cpumap, 4u, 2u, 16u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Cpumap, 4u, 4u, 16u, MapCreateFlags.RdonlyProg, Errno.EINVAL)]
    [InlineData(MapType.Xskmap, 4u, 4u, 16u, MapCreateFlags.NumaNode, Errno.None)]
    [InlineData(MapType.Xskmap, 4u, 8u, 16u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.PerfEventArray, 4u, 4u, 16u, MapCreateFlags.PreserveElems, Errno.None)]
    [InlineData(MapType.PerfEventArray, 4u, 8u, 16u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.PerfEventArray, 4u, 4u, 16u, MapCreateFlags.Mmapable, Errno.EINVAL)]
    [InlineData(MapType.PerfEventArray, 4u, 4u, 16u, MapCreateFlags.RdonlyProg, Errno.EINVAL)]
    [InlineData(MapType.Sockmap, 4u, 8u, 16u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.Sockmap, 8u, 4u, 16u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Sockhash, 512u, 4u, 16u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.Sockhash, 513u, 4u, 16u, MapCreateFlags.None, Errno.E2BIG)]
    [InlineData(MapType.Sockhash, 0u, 4u, 16u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Sockhash, 4u, 4u, 16u, MapCreateFlags.ZeroSeed, Errno.EINVAL)]
    [InlineData(MapType.CgroupStorage, 8u, 8u, 0u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.CgroupStorage, 16u, 65407u, 0u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.CgroupStorage, 16u, 65408u, 0u, MapCreateFlags.None, Errno.E2BIG)]
    [InlineData(MapType.CgroupStorage, 4u, 8u, 0u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.CgroupStorage, 8u, 8u, 1u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.CgroupStorage, 8u, 8u, 0u, NoPrealloc, Errno.EINVAL)]
    [InlineData(MapType.PercpuCgroupStorage, 8u, 32768u, 0u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.PercpuCgroupStorage, 8u, 32769u, 0u, MapCreateFlags.None, Errno.E2BIG)]
    [InlineData(MapType.SkStorage, 4u, 8u, 0u, NoPrealloc, Errno.EINVAL)]
    public void Created_with_the_kernels_checks(MapType type, uint key, uint value, uint max, MapCreateFlags flags, Errno expected) =>
        Assert.Equal(expected, Try(type, key, value, max, flags));

    [Fact]
    public void Map_extra_is_only_for_bloom_filters_and_holds_at_most_15_hashes()
    {
        Assert.Equal(Errno.None, Try(MapType.BloomFilter, 0, 4, 16, extra: 15));
        Assert.Equal(Errno.EINVAL, Try(MapType.BloomFilter, 0, 4, 16, extra: 16));
        Assert.Equal(Errno.EINVAL, Try(MapType.Hash, 4, 4, 16, extra: 1));
        Assert.Equal(Errno.EINVAL, Try(MapType.LpmTrie, 8, 8, 16, NoPrealloc, extra: 1));
    }

    [Fact]
    public void Sk_storage_needs_key_and_value_btf()
    {
        Assert.Equal(Errno.EINVAL, Try(MapType.SkStorage, 4, 8, 0, NoPrealloc, btf: false));
        Assert.Equal(Errno.None, Try(MapType.SkStorage, 4, 8, 0, NoPrealloc, btf: true));
        Assert.Equal(Errno.None, Try(MapType.SkStorage, 4, 8, 0, NoPrealloc | MapCreateFlags.Clone, btf: true));
        Assert.Equal(Errno.EINVAL, Try(MapType.SkStorage, 4, 8, 0, MapCreateFlags.None, btf: true));
        Assert.Equal(Errno.EINVAL, Try(MapType.SkStorage, 8, 8, 0, NoPrealloc, btf: true));
    }
}

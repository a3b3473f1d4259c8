using SharpBpf.Btf;
using SharpBpf.Maps;

namespace SharpBpf.Tests.Maps;

public class MapCreateTests
{
    private static Errno CreateErrno(MapDefinition definition)
    {
        try
        {
            using var map = BpfMap.Create(definition, MapTestKit.Options());
            return Errno.None;
        }
        catch (MapCreateException ex)
        {
            Assert.Equal(definition.Name, ex.MapName);
            return ex.Errno;
        }
    }

    private static Errno Try(MapType type, uint key, uint value, uint max, MapCreateFlags flags = MapCreateFlags.None) =>
        CreateErrno(new MapDefinition("m", type, key, value, max, flags));

    private static Errno TryWithFields(MapType type, uint key, uint value, uint max, MapCreateFlags flags, params SpecialField[] fields) =>
        CreateErrno(new MapDefinition("m", type, key, value, max, flags) { SpecialFields = fields, HasValueBtf = true });

    [Theory]
    [InlineData(MapType.Array, 4u, 8u, 1u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.Array, 8u, 8u, 1u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Array, 4u, 0u, 1u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Array, 4u, 8u, 0u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Array, 4u, 8u, 4u, MapCreateFlags.NoPrealloc, Errno.EINVAL)]
    [InlineData(MapType.Array, 4u, 8u, 4u, MapCreateFlags.Mmapable, Errno.None)]
    [InlineData(MapType.PercpuArray, 4u, 8u, 4u, MapCreateFlags.Mmapable, Errno.EINVAL)]
    [InlineData(MapType.PercpuArray, 4u, 32768u, 4u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.PercpuArray, 4u, 32769u, 4u, MapCreateFlags.None, Errno.E2BIG)]
    [InlineData(MapType.Array, 4u, 8u, 4u, MapCreateFlags.RdonlyProg | MapCreateFlags.WronlyProg, Errno.EINVAL)]
    [InlineData(MapType.Array, 4u, 8u, 4u, MapCreateFlags.Rdonly | MapCreateFlags.Wronly, Errno.EINVAL)]
    [InlineData(MapType.Hash, 4u, 8u, 4u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.Hash, 0u, 8u, 4u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Hash, 4u, 0u, 4u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Hash, 4u, 8u, 0u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Hash, 513u, 8u, 4u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.Hash, 4194247u, 8u, 4u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.Hash, 4194248u, 8u, 4u, MapCreateFlags.None, Errno.E2BIG)]
    [InlineData(MapType.Hash, 100u, 8u, 4u, MapCreateFlags.ZeroSeed, Errno.None)]
    [InlineData(MapType.Stack, 0u, 8u, 4u, MapCreateFlags.Rdonly, Errno.None)]
    [InlineData(MapType.Hash, 4u, 8u, 4u, MapCreateFlags.NoPrealloc, Errno.None)]
    [InlineData(MapType.Hash, 4u, 8u, 4u, MapCreateFlags.NoCommonLru, Errno.EINVAL)]
    [InlineData(MapType.Hash, 4u, 8u, 4u, MapCreateFlags.Mmapable, Errno.EINVAL)]
    [InlineData(MapType.LruHash, 4u, 8u, 4u, MapCreateFlags.NoPrealloc, Errno.ENOTSUPP)]
    [InlineData(MapType.LruHash, 4u, 8u, 4u, MapCreateFlags.NoCommonLru, Errno.None)]
    [InlineData(MapType.PercpuHash, 4u, 32769u, 4u, MapCreateFlags.None, Errno.E2BIG)]
    [InlineData(MapType.LruPercpuHash, 4u, 8u, 4u, MapCreateFlags.NoCommonLru | MapCreateFlags.NumaNode, Errno.EINVAL)]
    [InlineData(MapType.Queue, 0u, 8u, 4u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.Queue, 4u, 8u, 4u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Stack, 0u, 0u, 4u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Stack, 0u, 8u, 0u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Stack, 0u, 8u, 4u, MapCreateFlags.NoPrealloc, Errno.EINVAL)]
    [InlineData(MapType.Ringbuf, 0u, 0u, 4096u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.Ringbuf, 0u, 0u, 4096u * 3, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Ringbuf, 0u, 0u, 2048u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Ringbuf, 4u, 0u, 4096u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.Ringbuf, 0u, 0u, 4096u, MapCreateFlags.Rdonly, Errno.EINVAL)]
    [InlineData(MapType.ProgArray, 4u, 4u, 4u, MapCreateFlags.None, Errno.None)]
    [InlineData(MapType.ProgArray, 4u, 8u, 4u, MapCreateFlags.None, Errno.EINVAL)]
    [InlineData(MapType.ProgArray, 4u, 4u, 4u, MapCreateFlags.RdonlyProg, Errno.EINVAL)]
    [InlineData(MapType.LpmTrie, 8u, 8u, 4u, MapCreateFlags.NoPrealloc, Errno.None)]
    [InlineData(MapType.StackTrace, 4u, 8u, 4u, MapCreateFlags.None, Errno.EOPNOTSUPP)]
    [InlineData((MapType)999, 4u, 8u, 4u, MapCreateFlags.None, Errno.EINVAL)]
    public void Attributes_are_checked_like_BPF_MAP_CREATE(MapType type, uint key, uint value, uint max, MapCreateFlags flags, Errno expected) =>
        Assert.Equal(expected, Try(type, key, value, max, flags));

    [Theory]
    [InlineData(MapType.Array, Errno.None)]
    [InlineData(MapType.Hash, Errno.None)]
    [InlineData(MapType.LruHash, Errno.None)]
    [InlineData(MapType.PercpuArray, Errno.EOPNOTSUPP)]
    [InlineData(MapType.PercpuHash, Errno.EOPNOTSUPP)]
    [InlineData(MapType.LruPercpuHash, Errno.EOPNOTSUPP)]
    public void Only_array_hash_and_lru_hash_may_hold_a_timer(MapType type, Errno expected) =>
        Assert.Equal(expected, TryWithFields(type, 4, 24, 4, MapCreateFlags.None, SpecialField.Timer(8)));

    [Fact]
    public void Hash_with_no_prealloc_and_lru_with_no_common_lru_may_hold_a_timer()
    {
        Assert.Equal(Errno.None, TryWithFields(MapType.Hash, 4, 16, 4, MapCreateFlags.NoPrealloc, SpecialField.Timer(0)));
        Assert.Equal(Errno.None, TryWithFields(MapType.LruHash, 4, 16, 4, MapCreateFlags.NoCommonLru, SpecialField.Timer(0)));
    }

    [Theory]
    [InlineData(MapCreateFlags.RdonlyProg, Errno.EACCES)]
    [InlineData(MapCreateFlags.WronlyProg, Errno.EACCES)]
    [InlineData(MapCreateFlags.Rdonly, Errno.None)]
    [InlineData(MapCreateFlags.Mmapable, Errno.None)]
    public void Program_access_flags_with_a_timer(MapCreateFlags flags, Errno expected) =>
        Assert.Equal(expected, TryWithFields(MapType.Array, 4, 16, 4, flags, SpecialField.Timer(0)));

    [Fact]
    public void Access_flags_are_checked_before_the_map_type()
    {
        Assert.Equal(Errno.EACCES, TryWithFields(MapType.PercpuArray, 4, 16, 4, MapCreateFlags.RdonlyProg, SpecialField.Timer(0)));
    }

    [Theory]
    [InlineData(MapType.Array, Errno.None)]
    [InlineData(MapType.Hash, Errno.None)]
    [InlineData(MapType.LruHash, Errno.EOPNOTSUPP)]
    [InlineData(MapType.PercpuHash, Errno.EOPNOTSUPP)]
    public void Spin_lock_and_timer_together(MapType type, Errno expected) =>
        Assert.Equal(expected, TryWithFields(type, 4, 32, 4, MapCreateFlags.None, SpecialField.SpinLock(0), SpecialField.Timer(8)));

    [Fact]
    public void Special_fields_without_btf_or_outside_the_value_are_api_misuse()
    {
        Assert.Throws<ArgumentException>(() => BpfMap.Create(
            new MapDefinition("m", MapType.Array, 4, 16, 1) { SpecialFields = [SpecialField.Timer(0)] }));
        Assert.Throws<ArgumentException>(() => BpfMap.Create(
            new MapDefinition("m", MapType.Array, 4, 16, 1) { SpecialFields = [SpecialField.Timer(8)], HasValueBtf = true }));
    }

    [Fact]
    public void Map_in_map_needs_a_valid_template()
    {
        Assert.Equal(Errno.EINVAL, Try(MapType.ArrayOfMaps, 4, 4, 2));
        var inner = new MapDefinition("inner", MapType.Array, 4, 8, 1);
        Assert.Equal(Errno.None, CreateErrno(new MapDefinition("m", MapType.ArrayOfMaps, 4, 4, 2) { InnerMap = inner }));
        Assert.Equal(Errno.None, CreateErrno(new MapDefinition("m", MapType.HashOfMaps, 8, 4, 2) { InnerMap = inner }));
        Assert.Equal(Errno.EINVAL, CreateErrno(new MapDefinition("m", MapType.HashOfMaps, 8, 8, 2) { InnerMap = inner }));
        var nested = new MapDefinition("n", MapType.ArrayOfMaps, 4, 4, 1) { InnerMap = inner };
        Assert.Equal(Errno.EINVAL, CreateErrno(new MapDefinition("m", MapType.ArrayOfMaps, 4, 4, 2) { InnerMap = nested }));
        Assert.Equal(Errno.EINVAL, CreateErrno(new MapDefinition("m", MapType.ArrayOfMaps, 4, 4, 2)
        {
            InnerMap = new MapDefinition("bad", MapType.Array, 8, 8, 1),
        }));
    }

    [Fact]
    public void Exception_carries_errno_and_reason()
    {
        var ex = Assert.Throws<MapCreateException>(() => BpfMap.Create(new MapDefinition("counters", MapType.Array, 8, 8, 1)));
        Assert.Equal(Errno.EINVAL, ex.Errno);
        Assert.Contains("counters", ex.Message);
        Assert.Contains("-22", ex.Message);
        Assert.IsAssignableFrom<BpfException>(ex);
    }

    [Theory]
    [InlineData(MapType.Hash, "hash", 1u)]
    [InlineData(MapType.LruPercpuHash, "lru_percpu_hash", 10u)]
    [InlineData(MapType.ArrayOfMaps, "array_of_maps", 12u)]
    [InlineData(MapType.Queue, "queue", 22u)]
    [InlineData(MapType.Stack, "stack", 23u)]
    [InlineData(MapType.Ringbuf, "ringbuf", 27u)]
    public void Map_type_names_and_numbers(MapType type, string name, uint number)
    {
        Assert.Equal(number, (uint)type);
        Assert.Equal(name, type.ToKernelName());
        Assert.True(MapTypeNames.TryParse(name, out var parsed));
        Assert.Equal(type, parsed);
    }

    [Fact]
    public void Flag_and_errno_numbers_match_the_uapi()
    {
        Assert.Equal(4ul, (ulong)MapUpdateFlags.Lock);
        Assert.Equal(1u, (uint)MapCreateFlags.NoPrealloc);
        Assert.Equal(128u, (uint)MapCreateFlags.RdonlyProg);
        Assert.Equal(1024u, (uint)MapCreateFlags.Mmapable);
        Assert.Equal(-7, Errno.E2BIG.ToHelperResult());
        Assert.Equal(95, (int)Errno.EOPNOTSUPP);
    }
}

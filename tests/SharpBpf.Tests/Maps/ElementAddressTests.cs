using SharpBpf.Maps;

namespace SharpBpf.Tests.Maps;

public class ElementAddressTests
{
    [Fact]
    public unsafe void Hash_key_address_follows_from_the_value_address()
    {
        using var map = MapTestKit.Create(MapType.Hash, 8, 12, 4);
        map.Update(MapTestKit.U64(0xABCDEF), new byte[12]);
        using var run = map.Options.Epochs.EnterRun();
        var value = MapTestKit.ProgramLookupAddress(map, MapTestKit.U64(0xABCDEF));
        var key = map.KeyAddressOfValue(value);
        Assert.Equal(0xABCDEFul, *(ulong*)key);
    }

    [Fact]
    public void Array_index_follows_from_the_value_address()
    {
        using var map = (ArrayMap)MapTestKit.Create(MapType.Array, 4, 12, 4);
        var address = map.ValueAddress(3);
        Assert.True(map.TryGetIndex(address, out var index));
        Assert.Equal(3u, index);
        Assert.False(map.TryGetIndex(address + 4, out _));
        Assert.False(map.TryGetIndex(address + 16 * 8, out _));
        Assert.Equal(0, map.KeyAddressOfValue(address));
    }
}

using SharpBpf.Btf;
using SharpBpf.Maps;
using static SharpBpf.Tests.Maps.MapTestKit;

namespace SharpBpf.Tests.Maps;

public class SpecialFieldTests
{
    // value: [0..4) spin lock, [4..8) data, [8..24) timer, [24..32) data
    private static BpfMap Create(MapType type) =>
        MapTestKit.Create(type, 4, 32, 4, MapCreateFlags.None, 2, SpecialField.SpinLock(0), SpecialField.Timer(8));

    private static unsafe void Scribble(BpfMap map, byte[] key)
    {
        using var run = map.Options.Epochs.EnterRun();
        var address = ProgramLookupAddress(map, key);
        Assert.NotEqual(0, address);
        for (var i = 8; i < 24; i++) ((byte*)address)[i] = 0x77; // what a timer handle would look like
    }

    private static unsafe byte[] Raw(BpfMap map, byte[] key)
    {
        using var run = map.Options.Epochs.EnterRun();
        var address = ProgramLookupAddress(map, key);
        return new ReadOnlySpan<byte>((void*)address, 32).ToArray();
    }

    [Theory]
    [InlineData(MapType.Array)]
    [InlineData(MapType.Hash)]
    public void Host_reads_special_bytes_as_zero_and_writes_never_touch_them(MapType type)
    {
        using var map = Create(type);
        Assert.Equal(Errno.None, map.Update(U32(0), Filled(32, 0xFF)));
        var raw = Raw(map, U32(0));
        Assert.Equal(new byte[4], raw[..4]);
        Assert.Equal(new byte[16], raw[8..24]);
        Assert.Equal(Filled(4, 0xFF), raw[4..8]);
        Assert.Equal(Filled(8, 0xFF), raw[24..]);

        Scribble(map, U32(0));
        var read = HostLookup(map, U32(0))!;
        Assert.Equal(new byte[16], read[8..24]);
        Assert.Equal(Filled(4, 0xFF), read[4..8]);
    }

    [Fact]
    public void Array_update_keeps_special_bytes_but_the_program_copy_skips_them_too()
    {
        using var map = Create(MapType.Array);
        Scribble(map, U32(1));
        Assert.Equal(0, ProgramUpdate(map, U32(1), Filled(32, 0x11), 0));
        var raw = Raw(map, U32(1));
        Assert.Equal(Filled(16, 0x77), raw[8..24]);
        Assert.Equal(Filled(4, 0x11), raw[4..8]);
    }

    [Fact]
    public void Hash_replacing_update_gives_zeroed_special_fields()
    {
        using var map = Create(MapType.Hash);
        map.Update(U32(1), Filled(32, 1));
        Scribble(map, U32(1));
        map.Update(U32(1), Filled(32, 2));
        Assert.Equal(new byte[16], Raw(map, U32(1))[8..24]);
    }

    [Fact]
    public void Hash_update_with_BPF_F_LOCK_copies_in_place_and_keeps_special_fields()
    {
        using var map = Create(MapType.Hash);
        map.Update(U32(1), Filled(32, 1));
        Scribble(map, U32(1));
        nint before;
        using (map.Options.Epochs.EnterRun()) before = ProgramLookupAddress(map, U32(1));
        Assert.Equal(Errno.None, map.Update(U32(1), Filled(32, 2), MapUpdateFlags.Lock));
        using (map.Options.Epochs.EnterRun()) Assert.Equal(before, ProgramLookupAddress(map, U32(1)));
        var raw = Raw(map, U32(1));
        Assert.Equal(Filled(16, 0x77), raw[8..24]);
        Assert.Equal(Filled(4, 2), raw[4..8]);
        Assert.Equal(0, BitConverter.ToInt32(raw, 0)); // the lock is released again
        Assert.Equal(Errno.EEXIST, map.Update(U32(1), Filled(32, 3), MapUpdateFlags.Lock | MapUpdateFlags.NoExist));
        Assert.Equal(Errno.ENOENT, map.Update(U32(9), Filled(32, 3), MapUpdateFlags.Lock | MapUpdateFlags.Exist));
        Assert.Equal(Errno.None, map.Update(U32(9), Filled(32, 3), MapUpdateFlags.Lock));
        var value = new byte[32];
        Assert.Equal(Errno.None, map.Lookup(U32(1), value, MapUpdateFlags.Lock));
        Assert.Equal(Filled(4, 2), value[4..8]);
        Assert.Equal(new byte[16], value[8..24]);
    }
}

public class ObserverTests
{
    private sealed class RecordingObserver : IMapElementObserver
    {
        public List<(ElementReleaseReason Reason, ulong FirstWord, byte[] Key)> Released { get; } = [];
        public int UserReleases;
        public int Disposals;

        public unsafe void OnElementReleasing(BpfMap map, nint valueAddress, nint keyAddress, ElementReleaseReason reason) =>
            Released.Add((reason, *(ulong*)valueAddress, new ReadOnlySpan<byte>((void*)keyAddress, map.Type is MapType.Array ? 4 : map.KeySize).ToArray()));

        public void OnUserReferencesReleased(BpfMap map) => UserReleases++;
        public void OnMapDisposing(BpfMap map) => Disposals++;
    }

    private static (BpfMap Map, RecordingObserver Observer) Observed(MapType type, uint max = 4, bool spinLock = false)
    {
        SpecialField[] fields = spinLock ? [SpecialField.SpinLock(8), SpecialField.Timer(16)] : [SpecialField.Timer(16)];
        var map = MapTestKit.Create(type, 4, 32, max, MapCreateFlags.None, 2, fields);
        var observer = new RecordingObserver();
        map.ElementObserver = observer;
        return (map, observer);
    }

    [Theory]
    [InlineData(MapType.Hash)]
    [InlineData(MapType.LruHash)]
    public void Hash_delete_and_replacing_updates_notify_with_the_old_value(MapType type)
    {
        var (map, observer) = Observed(type);
        using var _ = map;
        map.Update(U32(1), U64Value(10));
        Assert.Empty(observer.Released);
        map.Update(U32(1), U64Value(11));
        ProgramUpdate(map, U32(1), U64Value(12), (ulong)MapUpdateFlags.Exist);
        map.Delete(U32(1));
        Assert.Equal(
            [(ElementReleaseReason.Replaced, 10ul), (ElementReleaseReason.Replaced, 11ul), (ElementReleaseReason.Deleted, 12ul)],
            observer.Released.Select(r => (r.Reason, r.FirstWord)));
        Assert.All(observer.Released, r => Assert.Equal(U32(1), r.Key));
    }

    [Fact]
    public void Failed_updates_and_lock_updates_do_not_notify()
    {
        var (map, observer) = Observed(MapType.Hash, spinLock: true);
        using var _ = map;
        map.Update(U32(1), U64Value(10));
        Assert.Equal(Errno.EEXIST, map.Update(U32(1), U64Value(11), MapUpdateFlags.NoExist));
        Assert.Equal(Errno.None, map.Update(U32(1), U64Value(12), MapUpdateFlags.Lock));
        Assert.Equal(-2, ProgramDelete(map, U32(5)));
        Assert.Empty(observer.Released);
    }

    [Fact]
    public void Every_successful_array_update_notifies_but_deletes_and_failures_do_not()
    {
        var (map, observer) = Observed(MapType.Array, spinLock: true);
        using var _ = map;
        map.Update(U32(2), U64Value(1));
        ProgramUpdate(map, U32(2), U64Value(2), (ulong)MapUpdateFlags.Lock);
        Assert.Equal(Errno.EEXIST, map.Update(U32(2), U64Value(3), MapUpdateFlags.NoExist));
        Assert.Equal(Errno.E2BIG, map.Update(U32(9), U64Value(3)));
        Assert.Equal(Errno.EINVAL, map.Delete(U32(2)));
        Assert.Equal([(ElementReleaseReason.ArrayUpdated, 0ul), (ElementReleaseReason.ArrayUpdated, 1ul)],
            observer.Released.Select(r => (r.Reason, r.FirstWord)));
        Assert.All(observer.Released, r => Assert.Equal(U32(2), r.Key));
    }

    [Fact]
    public void Lru_eviction_notifies()
    {
        var (map, observer) = Observed(MapType.LruHash, max: 4);
        using var _ = map;
        for (uint i = 0; i < 5; i++) map.Update(U32(i), U64Value(i));
        var evicted = Assert.Single(observer.Released);
        Assert.Equal(ElementReleaseReason.Evicted, evicted.Reason);
        Assert.Equal(U32(0), evicted.Key);
    }

    [Fact]
    public void User_references_and_disposal_notify_once()
    {
        var (map, observer) = Observed(MapType.Array);
        Assert.Equal(1, map.UserReferenceCount);
        map.AddUserReference();
        map.ReleaseUserReference();
        Assert.Equal(0, observer.UserReleases);
        map.ReleaseUserReference();
        Assert.Equal(1, observer.UserReleases);
        map.ReleaseUserReferences();
        Assert.Equal(1, observer.UserReleases);
        Assert.Throws<InvalidOperationException>(map.ReleaseUserReference);
        map.AddUserReference();
        map.ReleaseUserReferences();
        Assert.Equal(2, observer.UserReleases);
        map.Dispose();
        map.Dispose();
        Assert.Equal(1, observer.Disposals);
        Assert.Throws<ObjectDisposedException>(() => map.Update(U32(0), new byte[32]));
    }

    [Fact]
    public void Per_cpu_maps_never_notify()
    {
        using var map = MapTestKit.Create(MapType.PercpuHash, 4, 8, 4);
        var observer = new RecordingObserver();
        map.ElementObserver = observer;
        map.Update(U32(1), new byte[16]);
        map.Update(U32(1), new byte[16]);
        map.Delete(U32(1));
        Assert.Empty(observer.Released);
    }

    private static byte[] U64Value(ulong first)
    {
        var value = new byte[32];
        BitConverter.TryWriteBytes(value, first);
        return value;
    }
}

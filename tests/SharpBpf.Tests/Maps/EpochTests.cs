using SharpBpf.Btf;
using SharpBpf.Maps;
using SharpBpf.Tests.Support;
using static SharpBpf.Tests.Maps.MapTestKit;

namespace SharpBpf.Tests.Maps;

public class EpochTests
{
    [Fact]
    public unsafe void Deleted_value_stays_readable_until_the_run_that_saw_it_ends()
    {
        // Elements allocated one by one (BPF_F_NO_PREALLOC) are freed through the epochs.
        using var map = Create(MapType.Hash, 4, 8, 4, MapCreateFlags.NoPrealloc);
        var epochs = map.Options.Epochs;
        map.Update(U32(1), U64(1234));
        var run = epochs.EnterRun();
        var address = ProgramLookupAddress(map, U32(1));
        Assert.Equal(Errno.None, map.Delete(U32(1)));
        for (var i = 0; i < 5; i++) epochs.TryReclaim();
        Assert.Equal(1, epochs.PendingCount);
        Assert.Equal(1234ul, *(ulong*)address);
        run.Dispose();
        Assert.Equal(0, epochs.PendingCount);
    }

    [Fact]
    public unsafe void A_preallocated_element_is_never_freed_and_the_next_insert_reuses_it_at_once()
    {
        // The kernel's default htab: a deleted element goes back to the free list, not to the allocator, so a
        // program's stale value pointer still points into the map (now another element's value), never at freed memory.
        using var map = Create(MapType.Hash, 4, 8, 4);
        var epochs = map.Options.Epochs;
        map.Update(U32(1), U64(1234));
        using var run = epochs.EnterRun();
        var address = ProgramLookupAddress(map, U32(1));
        Assert.Equal(Errno.None, map.Delete(U32(1)));
        Assert.Equal(0, epochs.PendingCount);
        Assert.Equal(1234ul, *(ulong*)address);
        Assert.Equal(Errno.None, map.Update(U32(2), U64(5678)));
        Assert.Equal(address, ProgramLookupAddress(map, U32(2)));
        Assert.Equal(5678ul, *(ulong*)address);
    }

    [Fact]
    public unsafe void A_replacing_update_of_a_preallocated_map_moves_the_key_to_the_spare_element()
    {
        // As the kernel's extra element: the new value goes to another element, the old one becomes the spare.
        using var map = Create(MapType.Hash, 4, 8, 4);
        map.Update(U32(1), U64(1));
        using var run = map.Options.Epochs.EnterRun();
        var before = ProgramLookupAddress(map, U32(1));
        Assert.Equal(0, ProgramUpdate(map, U32(1), U64(2), 0));
        var after = ProgramLookupAddress(map, U32(1));
        Assert.NotEqual(before, after);
        Assert.Equal(1ul, *(ulong*)before);
        Assert.Equal(2ul, *(ulong*)after);
        Assert.Equal(0, ProgramUpdate(map, U32(1), U64(3), 0));
        Assert.Equal(before, ProgramLookupAddress(map, U32(1)));
    }

    [Fact]
    public void Memory_retired_while_no_run_is_in_flight_is_freed_at_once()
    {
        using var map = Create(MapType.Hash, 4, 8, 4);
        map.Update(U32(1), U64(1));
        map.Update(U32(1), U64(2));
        map.Delete(U32(1));
        Assert.Equal(0, map.Options.Epochs.PendingCount);
    }

    [Fact]
    public void A_run_that_starts_after_the_delete_does_not_hold_back_reclamation()
    {
        using var map = Create(MapType.Hash, 4, 8, 4);
        var epochs = map.Options.Epochs;
        map.Update(U32(1), U64(1));
        var early = epochs.EnterRun();
        map.Delete(U32(1));
        early.Dispose();
        using var late = epochs.EnterRun();
        epochs.TryReclaim();
        Assert.Equal(0, epochs.PendingCount);
    }

    [Fact]
    public void Nested_runs_restore_the_ambient_cpu()
    {
        var epochs = new EpochManager();
        Assert.Equal(0, RunScope.CurrentCpu);
        using (epochs.EnterRun(3))
        {
            Assert.Equal(3, RunScope.CurrentCpu);
            using (epochs.EnterRun(1)) Assert.Equal(1, RunScope.CurrentCpu);
            Assert.Equal(3, RunScope.CurrentCpu);
        }
        Assert.Equal(0, RunScope.CurrentCpu);
    }

    [Fact]
    public void Disposing_a_map_frees_everything_when_no_run_is_in_flight()
    {
        var options = Options();
        foreach (var type in new[] { MapType.Hash, MapType.Array, MapType.LruPercpuHash, MapType.Queue })
        {
            var map = BpfMap.Create(new MapDefinition("m", type, type == MapType.Queue ? 0u : 4u, 8, 8), options);
            if (type != MapType.Queue)
                for (uint i = 0; i < 4; i++) map.Update(U32(i), new byte[map.HostValueSize]);
            map.Dispose();
        }
        Assert.Equal(0, options.Epochs.PendingCount);
    }
}

public class ConcurrencyTests
{
    [Theory]
    [InlineData(MapType.Hash, MapCreateFlags.None)]
    [InlineData(MapType.Hash, MapCreateFlags.NoPrealloc)]
    [InlineData(MapType.LruHash, MapCreateFlags.None)]
    public unsafe void Threads_updating_deleting_and_looking_up_see_consistent_values(MapType type, MapCreateFlags flags)
    {
        const int threads = 4, keysPerThread = 8, iterations = 20_000;
        using var map = Create(type, 4, 8, threads * keysPerThread * 2, flags);
        var preallocated = (flags & MapCreateFlags.NoPrealloc) == 0;
        var counts = new int[threads];
        var failures = new List<string>();

        void Worker(int thread)
        {
            var random = new Random(thread * 7919);
            var present = new Dictionary<uint, ulong>();
            var key = new byte[4];
            var value = new byte[8];
            for (var i = 0; i < iterations; i++)
            {
                using var run = map.Options.Epochs.EnterRun(thread);
                var k = (uint)(thread + threads * random.Next(keysPerThread));
                BitConverter.TryWriteBytes(key, k);
                var op = random.Next(4);
                fixed (byte* kp = key)
                fixed (byte* vp = value)
                {
                    if (op == 0)
                    {
                        var v = ((ulong)k << 32) | (uint)i;
                        BitConverter.TryWriteBytes(value, v);
                        if (map.UpdateElem((nint)kp, (nint)vp, 0) != 0) lock (failures) failures.Add($"update {k}");
                        present[k] = v;
                    }
                    else if (op == 1)
                    {
                        var result = map.DeleteElem((nint)kp);
                        var expected = present.Remove(k) ? 0 : -2;
                        if (result != expected) lock (failures) failures.Add($"delete {k}: {result}");
                    }
                    else if (op == 2)
                    {
                        var address = map.LookupElem((nint)kp);
                        var expectedPresent = present.TryGetValue(k, out var expected);
                        if ((address != 0) != expectedPresent || (address != 0 && *(ulong*)address != expected))
                            lock (failures) failures.Add($"lookup {k}");
                    }
                    else
                    {
                        // someone else's key: its value may change or vanish, but what we read must be well-formed
                        var other = (uint)random.Next(threads * keysPerThread);
                        BitConverter.TryWriteBytes(key, other);
                        var address = map.LookupElem((nint)kp);
                        if (address != 0)
                        {
                            Thread.SpinWait(20);
                            var seen = *(ulong*)address;
                            // A preallocated element deleted meanwhile may already hold another key's value (or be
                            // cleared for it), as in the kernel; one allocated alone keeps its value until the run ends.
                            var wellFormed = preallocated
                                ? seen == 0 || (seen >> 32 < threads * keysPerThread && (uint)seen < iterations)
                                : seen >> 32 == other;
                            if (!wellFormed) lock (failures) failures.Add($"foreign {other}: {seen:x}");
                        }
                    }
                }
            }
            counts[thread] = present.Count;
        }

        CheckedThread.JoinAll(CheckedThread.StartAll(threads, Worker));

        Assert.Empty(failures);
        map.Options.Epochs.TryReclaim(); // the last exits may have raced for the reclaim lock
        Assert.Equal(counts.Sum(), map.Count);
        Assert.Equal(counts.Sum(), map.Keys().Count);
        Assert.Equal(0, map.Options.Epochs.PendingCount);
    }

    [Fact]
    public unsafe void Concurrent_array_updates_with_lock_keep_values_whole()
    {
        using var map = Create(MapType.Array, 4, 24, 1, MapCreateFlags.None, 2, SpecialField.SpinLock(0));
        var failures = 0;
        var writers = CheckedThread.StartAll(3, writer =>
        {
            var t = writer + 1;
            var value = new byte[24];
            for (var i = 0; i < 5000; i++)
            {
                value.AsSpan(4).Fill((byte)t);
                Assert.Equal(Errno.None, map.Update(U32(0), value, MapUpdateFlags.Lock));
                var read = new byte[24];
                map.Lookup(U32(0), read, MapUpdateFlags.Lock);
                if (read.AsSpan(4).ContainsAnyExcept(read[4])) Interlocked.Increment(ref failures);
            }
        });
        CheckedThread.JoinAll(writers);
        Assert.Equal(0, failures);
    }
}

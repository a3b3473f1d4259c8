using SharpBpf.Maps;
using static SharpBpf.Tests.Maps.MapTestKit;

namespace SharpBpf.Tests.Maps;

public class QueueStackTests
{
    private static unsafe long Push(BpfMap map, ulong value, ulong flags)
    {
        var bytes = U64(value);
        fixed (byte* v = bytes) return map.PushElem((nint)v, flags);
    }

    private static unsafe (long Result, ulong Value) Pop(BpfMap map, bool peek = false)
    {
        var bytes = Filled(8, 0xCC);
        fixed (byte* v = bytes)
        {
            var result = peek ? map.PeekElem((nint)v) : map.PopElem((nint)v);
            return (result, ReadU64(bytes));
        }
    }

    [Fact]
    public void Queue_is_fifo_and_stack_is_lifo()
    {
        using var queue = Create(MapType.Queue, 0, 8, 3);
        using var stack = Create(MapType.Stack, 0, 8, 3);
        foreach (var map in new[] { queue, stack })
            for (ulong i = 1; i <= 3; i++) Assert.Equal(0, Push(map, i, 0));
        Assert.Equal((0, 1ul), Pop(queue, peek: true));
        Assert.Equal((0, 1ul), Pop(queue));
        Assert.Equal((0, 2ul), Pop(queue));
        Assert.Equal((0, 3ul), Pop(stack, peek: true));
        Assert.Equal((0, 3ul), Pop(stack));
        Assert.Equal((0, 2ul), Pop(stack));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Empty_pop_and_peek_are_ENOENT_and_zero_the_buffer()
    {
        using var queue = Create(MapType.Queue, 0, 8, 2);
        Assert.Equal((-2, 0ul), Pop(queue));
        Assert.Equal((-2, 0ul), Pop(queue, peek: true));
    }

    [Theory]
    [InlineData(MapType.Queue)]
    [InlineData(MapType.Stack)]
    public void Push_flags_follow_the_kernel(MapType type)
    {
        using var map = Create(type, 0, 8, 2);
        Assert.Equal(-22, Push(map, 1, 1)); // BPF_NOEXIST
        Assert.Equal(-22, Push(map, 1, 4));
        Assert.Equal(0, Push(map, 1, 0));
        Assert.Equal(0, Push(map, 2, 0));
        Assert.Equal(-7, Push(map, 3, 0)); // full
        Assert.Equal(0, Push(map, 3, 2)); // BPF_EXIST drops the oldest
        Assert.Equal(2, map.Count);
        var drained = new[] { Pop(map).Value, Pop(map).Value };
        Assert.Equal(type == MapType.Queue ? new ulong[] { 2, 3 } : [3, 2], drained);
    }

    [Fact]
    public void Host_form_pushes_peeks_and_pops()
    {
        using var map = Create(MapType.Queue, 0, 8, 2);
        Assert.Equal(Errno.None, map.Update([], U64(5)));
        var value = new byte[8];
        Assert.Equal(Errno.None, map.Lookup([], value));
        Assert.Equal(5ul, ReadU64(value));
        Assert.Equal(Errno.None, map.LookupAndDelete([], value));
        Assert.Equal(Errno.ENOENT, map.LookupAndDelete([], value));
        Assert.Equal(Errno.EINVAL, map.Delete([]));
        Assert.Equal(Errno.EINVAL, map.GetNextKey([], new byte[4]));
        Assert.Equal(Errno.EINVAL, map.Update([], U64(5), MapUpdateFlags.NoExist));
    }

    [Fact]
    public void Wraps_around_many_times()
    {
        using var map = Create(MapType.Queue, 0, 8, 3);
        for (ulong i = 0; i < 20; i++)
        {
            Assert.Equal(0, Push(map, i, 0));
            Assert.Equal((0, i), Pop(map));
        }
    }
}

public class RingBufferTests
{
    private static RingBufferMap Create(uint size = 4096) => (RingBufferMap)MapTestKit.Create(MapType.Ringbuf, 0, 0, size);

    private static List<byte[]> Drain(RingBufferMap ring)
    {
        var samples = new List<byte[]>();
        ring.Consume(sample => { samples.Add(sample.ToArray()); return true; });
        return samples;
    }

    [Fact]
    public void Output_records_are_consumed_in_order_with_positions_advancing_by_rounded_length()
    {
        using var ring = Create();
        Assert.Equal(0, ring.Output(new byte[] { 1, 2, 3 }));
        Assert.Equal(0, ring.Output(new byte[] { 4, 5, 6, 7, 8, 9, 10, 11, 12 }));
        Assert.Equal(16ul + 24ul, ring.Query(RingBufferFlags.QueryProducerPosition));
        Assert.Equal(40ul, ring.Query(RingBufferFlags.QueryAvailableData));
        Assert.Equal(4096ul, ring.Query(RingBufferFlags.QueryRingSize));
        Assert.Equal(0ul, ring.Query(99));
        Assert.Equal([new byte[] { 1, 2, 3 }, [4, 5, 6, 7, 8, 9, 10, 11, 12]], Drain(ring));
        Assert.Equal(40ul, ring.Query(RingBufferFlags.QueryConsumerPosition));
        Assert.Equal(0ul, ring.Query(RingBufferFlags.QueryAvailableData));
    }

    [Fact]
    public unsafe void Reserve_writes_the_kernel_header_and_submit_clears_busy()
    {
        using var ring = Create();
        var sample = ring.Reserve(5, 0);
        Assert.NotEqual(0, sample);
        var header = (uint*)(sample - 8);
        Assert.Equal(5u | RingBufferFlags.BusyBit, header[0]);
        Assert.Equal((uint)RingBufferMap.DataPageOffset, header[1]);
        Assert.Empty(Drain(ring)); // a busy record blocks the consumer
        *(byte*)sample = 42;
        ring.Submit(sample, 0);
        Assert.Equal(5u, header[0]);
        Assert.Equal([new byte[] { 42, 0, 0, 0, 0 }], Drain(ring));
    }

    [Fact]
    public void Reserve_rejects_flags_and_oversized_records()
    {
        using var ring = Create();
        Assert.Equal(0, ring.Reserve(8, 1));
        Assert.Equal(0, ring.Reserve(4096, 0)); // 4096 + header does not fit
        Assert.Equal(0, ring.Reserve(4088, 0)); // a record may not fill the whole ring (new_prod - cons > mask)
        Assert.NotEqual(0, ring.Reserve(4080, 0));
        Assert.Equal(0, ring.Reserve(1, 0)); // full
        Assert.Equal(-22, ring.Output(new byte[1], 4));
        Assert.Equal(-11, ring.Output(new byte[1]));
    }

    [Fact]
    public void Discarded_records_count_as_available_until_consumed()
    {
        using var ring = Create();
        var sample = ring.Reserve(8, 0);
        ring.Discard(sample, 0);
        ring.Output(new byte[] { 9 });
        Assert.Equal(32ul, ring.Query(RingBufferFlags.QueryAvailableData));
        Assert.Equal([new byte[] { 9 }], Drain(ring));
        Assert.Equal(0ul, ring.Query(RingBufferFlags.QueryAvailableData));
    }

    [Fact]
    public void Records_that_wrap_around_the_end_arrive_intact()
    {
        using var ring = Create();
        var payload = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        for (var round = 0; round < 12; round++)
        {
            Assert.Equal(0, ring.Output(payload));
            var drained = Drain(ring);
            Assert.Equal(payload, Assert.Single(drained));
        }
        Assert.Equal(12ul * 1008, ring.Query(RingBufferFlags.QueryConsumerPosition));
    }

    [Fact]
    public void Host_map_operations_are_ENOTSUPP()
    {
        using var ring = Create();
        Assert.Equal(Errno.ENOTSUPP, ring.Lookup([], []));
        Assert.Equal(Errno.ENOTSUPP, ring.Update([], []));
        Assert.Equal(Errno.ENOTSUPP, ring.Delete([]));
    }
}

public class MapInMapTests
{
    private static readonly MapDefinition Inner = new("inner", MapType.Array, 4, 8, 2);

    [Fact]
    public void Array_of_maps_stores_compatible_maps_and_programs_get_their_handles()
    {
        var options = Options();
        using var outer = (ArrayOfMapsMap)BpfMap.Create(new MapDefinition("outer", MapType.ArrayOfMaps, 4, 4, 2) { InnerMap = Inner }, options);
        using var inner = BpfMap.Create(Inner with { Name = "a" }, options);
        using var wrongSize = BpfMap.Create(Inner with { MaxEntries = 3 }, options);
        Assert.Equal(Errno.None, outer.Update(U32(0), U32(inner.Id)));
        Assert.Equal(Errno.EINVAL, outer.Update(U32(1), U32(wrongSize.Id)));
        Assert.Equal(Errno.EBADF, outer.Update(U32(1), U32(999999)));
        Assert.Equal(Errno.E2BIG, outer.Update(U32(2), U32(inner.Id)));
        Assert.Equal(Errno.EINVAL, outer.Update(U32(1), U32(inner.Id), MapUpdateFlags.NoExist));

        var value = new byte[4];
        Assert.Equal(Errno.None, outer.Lookup(U32(0), value));
        Assert.Equal(inner.Id, BitConverter.ToUInt32(value));
        Assert.Equal(Errno.ENOENT, outer.Lookup(U32(1), value));
        var handle = ProgramLookupAddress(outer, U32(0));
        Assert.Same(inner, BpfMap.FromHandle(handle));
        Assert.Equal(0, ProgramLookupAddress(outer, U32(1)));

        Assert.Equal(Errno.None, outer.Delete(U32(0)));
        Assert.Equal(Errno.ENOENT, outer.Delete(U32(0)));
        Assert.Equal(Errno.E2BIG, outer.Delete(U32(5)));
    }

    [Fact]
    public void Inner_map_flag_relaxes_max_entries()
    {
        var options = Options();
        var template = Inner with { Flags = MapCreateFlags.InnerMap };
        using var outer = (ArrayOfMapsMap)BpfMap.Create(new MapDefinition("outer", MapType.ArrayOfMaps, 4, 4, 2) { InnerMap = template }, options);
        using var bigger = BpfMap.Create(template with { MaxEntries = 100 }, options);
        Assert.Equal(Errno.None, outer.SetInnerMap(0, bigger));
    }

    [Fact]
    public void Hash_of_maps_follows_hash_flags_and_iterates()
    {
        var options = Options();
        using var outer = (HashOfMapsMap)BpfMap.Create(new MapDefinition("outer", MapType.HashOfMaps, 8, 4, 2) { InnerMap = Inner }, options);
        using var a = BpfMap.Create(Inner, options);
        using var b = BpfMap.Create(Inner, options);
        Assert.Equal(Errno.None, outer.SetInnerMap(U64(1), a, MapUpdateFlags.NoExist));
        Assert.Equal(Errno.EEXIST, outer.SetInnerMap(U64(1), b, MapUpdateFlags.NoExist));
        Assert.Equal(Errno.None, outer.Update(U64(2), U32(b.Id)));
        Assert.Equal(Errno.E2BIG, outer.Update(U64(3), U32(b.Id)));
        Assert.Equal(2, outer.Keys().Count);
        Assert.Same(b, BpfMap.FromHandle(ProgramLookupAddress(outer, U64(2))));
        Assert.Same(a, outer.GetInnerMap(U64(1)));
        Assert.Equal(-2, ProgramDelete(outer, U64(7)));
        Assert.Equal(Errno.None, outer.Delete(U64(1)));
        Assert.Null(outer.GetInnerMap(U64(1)));

        // the inner map works through its handle as a program would use it
        var viaHandle = BpfMap.FromHandle(ProgramLookupAddress(outer, U64(2)))!;
        Assert.Equal(0, ProgramUpdate(viaHandle, U32(1), U64(77), 0));
        Assert.Equal(77ul, ReadU64(HostLookup(b, U32(1))));
    }

    [Fact]
    public void Disposed_maps_no_longer_resolve()
    {
        var map = Create(MapType.Array, 4, 8, 1);
        var handle = map.Handle;
        Assert.Same(map, BpfMap.FromHandle(handle));
        map.Dispose();
        Assert.Null(BpfMap.FromHandle(handle));
        Assert.Null(BpfMap.FromHandle(0));
    }
}

public class ProgramArrayTests
{
    [Fact]
    public void Slots_hold_programs_for_tail_calls()
    {
        using var map = (ProgramArrayMap)Create(MapType.ProgArray, 4, 4, 2);
        var program = new object();
        Assert.Null(map.GetTailCallTarget(0));
        Assert.Equal(Errno.None, map.SetProgram(1, program));
        Assert.Same(program, map.GetTailCallTarget(1));
        Assert.Null(map.GetTailCallTarget(7));
        Assert.Equal(Errno.E2BIG, map.SetProgram(2, program));
        Assert.Equal(Errno.EBADF, map.Update(U32(0), U32(5)));
        map.ProgramResolver = id => id == 5 ? program : null;
        map.ProgramIdOf = _ => 5;
        Assert.Equal(Errno.EINVAL, map.Update(U32(0), U32(5), MapUpdateFlags.Exist));
        Assert.Equal(Errno.None, map.Update(U32(0), U32(5)));
        var value = new byte[4];
        Assert.Equal(Errno.None, map.Lookup(U32(0), value));
        Assert.Equal(5u, BitConverter.ToUInt32(value));
        Assert.Equal(Errno.None, map.Delete(U32(0)));
        Assert.Equal(Errno.ENOENT, map.Delete(U32(0)));
        Assert.Equal(Errno.E2BIG, map.Delete(U32(2)));
        Assert.Equal(1, map.Count);
    }
}

using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Maps;
using static SharpBpf.Tests.Helpers.HelperKit;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Helpers;

public class RingBufferHelperTests
{
    private static readonly HelperRegistry Registry = BuiltInHelpers.CreateRegistry(HelperKit.Environment());

    private static List<byte[]> Drain(RingBufferMap ring)
    {
        var samples = new List<byte[]>();
        ring.Consume(sample =>
        {
            samples.Add(sample.ToArray());
            return true;
        });
        return samples;
    }

    [Fact]
    public void Reserve_write_submit_and_discard_reach_the_consumer_and_query_counts_both()
    {
        using var map = CreateMap(MapType.Ringbuf, 0, 0, 4096);
        var ring = (RingBufferMap)map;
        var body = P(
            // reserve 12 bytes, write two words, submit
            LoadMap(1, map), Mov(2, 12), Mov(3, 0), Call(HelperId.RingbufReserve), JeqImm(0, 0, 5),
            StDw(0, 0, 0x1234), StW(0, 8, 0x55), MovReg(1, 0), Mov(2, 0), Call(HelperId.RingbufSubmit),
            // reserve 4 bytes and discard them
            LoadMap(1, map), Mov(2, 4), Mov(3, 0), Call(HelperId.RingbufReserve), JeqImm(0, 0, 3),
            MovReg(1, 0), Mov(2, 0), Call(HelperId.RingbufDiscard),
            LoadMap(1, map), Mov(2, 0), Call(HelperId.RingbufQuery), Save(0),
            LoadMap(1, map), Mov(2, 1), Call(HelperId.RingbufQuery), Save(1),
            LoadMap(1, map), Mov(2, 3), Call(HelperId.RingbufQuery), Save(2),
            LoadMap(1, map), Mov(2, 2), Call(HelperId.RingbufQuery), Save(3));
        var results = Results(body, Registry, 4);
        // (8-byte header + 12 → 24) + (8 + 4 → 16): the discarded record still counts until consumed.
        Assert.Equal([40UL, 4096UL, 40UL, 0UL], results);

        var sample = Assert.Single(Drain(ring));
        Assert.Equal(12, sample.Length);
        Assert.Equal(0x1234UL, BitConverter.ToUInt64(sample));
        Assert.Equal(0x55U, BitConverter.ToUInt32(sample, 8));
        Assert.Equal(0UL, ring.Query(RingBufferFlags.QueryAvailableData));
    }

    [Fact]
    public void Reserve_fails_with_null_for_flags_or_a_record_that_does_not_fit()
    {
        using var map = CreateMap(MapType.Ringbuf, 0, 0, 4096);
        var body = P(
            LoadMap(1, map), Mov(2, 8), Mov(3, 1), Call(HelperId.RingbufReserve), Save(0),
            LoadMap(1, map), Mov(2, 4096), Mov(3, 0), Call(HelperId.RingbufReserve), Save(1));
        Assert.Equal([0UL, 0UL], Results(body, Registry, 2));
    }

    [Fact]
    public void Output_copies_the_data_and_rejects_unknown_flags()
    {
        using var map = CreateMap(MapType.Ringbuf, 0, 0, 4096);
        var ring = (RingBufferMap)map;
        var body = P(StW(10, -8, 0x03020100), StW(10, -4, 0x07060504),
            LoadMap(1, map), StackPointer(2, -8), Mov(3, 6), Mov(4, 0), Call(HelperId.RingbufOutput), Save(0),
            LoadMap(1, map), StackPointer(2, -8), Mov(3, 6), Mov(4, 4), Call(HelperId.RingbufOutput), Save(1));
        Assert.Equal([0UL, Err(Errno.EINVAL)], Results(body, Registry, 2));
        Assert.Equal([0, 1, 2, 3, 4, 5], Assert.Single(Drain(ring)));
    }

    [Fact]
    public void Output_checks_the_source_range()
    {
        using var map = CreateMap(MapType.Ringbuf, 0, 0, 4096);
        var body = P(LoadMap(1, map), StackPointer(2, -8), Mov(3, 16), Mov(4, 0), Call(HelperId.RingbufOutput));
        var fault = Assert.Throws<ProgramFaultException>(() => Results(body, Registry, 1));
        Assert.Equal(FaultKind.OutOfBoundsRead, fault.Kind);
        Assert.Equal(0UL, ((RingBufferMap)map).Query(RingBufferFlags.QueryProducerPosition));
    }

    [Fact]
    public void A_full_ring_gives_eagain()
    {
        using var map = CreateMap(MapType.Ringbuf, 0, 0, 4096);
        var body = P(
            LoadMap(1, map), Mov(2, 4030), Mov(3, 0), Call(HelperId.RingbufReserve), JeqImm(0, 0, 3),
            MovReg(1, 0), Mov(2, 0), Call(HelperId.RingbufSubmit),
            StDw(10, -64, 1), LoadMap(1, map), StackPointer(2, -64), Mov(3, 64), Mov(4, 0), Call(HelperId.RingbufOutput), Save(0),
            LoadMap(1, map), StackPointer(2, -64), Mov(3, 32), Mov(4, 0), Call(HelperId.RingbufOutput), Save(1));
        Assert.Equal([Err(Errno.EAGAIN), 0UL], Results(body, Registry, 2));
    }

    [Fact]
    public void A_reserved_record_is_writable_only_within_its_size_in_checked_mode()
    {
        using var map = CreateMap(MapType.Ringbuf, 0, 0, 4096);
        var body = P(LoadMap(1, map), Mov(2, 8), Mov(3, 0), Call(HelperId.RingbufReserve), StDw(0, 8, 1));
        var fault = Assert.Throws<ProgramFaultException>(() => Results(body, Registry, 1));
        Assert.Equal(FaultKind.OutOfBoundsWrite, fault.Kind);
    }

    [Fact]
    public void Submitting_something_that_was_not_reserved_faults()
    {
        var body = P(MovReg(1, 10), Add(1, -8), Mov(2, 0), Call(HelperId.RingbufSubmit));
        var fault = Assert.Throws<ProgramFaultException>(() => Results(body, Registry, 1));
        Assert.Equal(FaultKind.HelperFault, fault.Kind);
    }
}

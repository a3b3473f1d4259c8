using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Isa;
using SharpBpf.Maps;
using static SharpBpf.Tests.Helpers.HelperKit;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Helpers;

public class PacketHelperTests
{
    private static readonly HelperRegistry Registry = BuiltInHelpers.CreateRegistry(HelperKit.Environment());

    private static Instruction[] Adjust(HelperId helper, int delta, int slot) => P(Mov(1, 0), Mov(2, delta), Call(helper), Save(slot));

    [Fact]
    public void Adjust_head_meta_and_tail_give_what_linux_6_18_gave_for_a_64_byte_test_run_packet()
    {
        // The same sequence of calls was run by the kernel (bpftool prog run, 64-byte packet); these are its results.
        (HelperId Helper, int Delta, long Expected)[] calls =
        [
            (HelperId.XdpAdjustMeta, -36, 0), (HelperId.XdpAdjustMeta, 36, 0), (HelperId.XdpAdjustMeta, -6, -13),
            (HelperId.XdpAdjustHead, -216, 0), (HelperId.XdpAdjustHead, 216, 0), (HelperId.XdpAdjustHead, -220, -22),
            (HelperId.XdpAdjustMeta, -216, 0), (HelperId.XdpAdjustMeta, 216, 0), (HelperId.XdpAdjustMeta, -220, -22),
            (HelperId.XdpAdjustTail, 3456, 0), (HelperId.XdpAdjustTail, -3456, 0), (HelperId.XdpAdjustTail, 3457, -22),
            (HelperId.XdpAdjustTail, -51, -22), (HelperId.XdpAdjustTail, -50, 0), (HelperId.XdpAdjustTail, 50, 0),
            (HelperId.XdpAdjustMeta, -256, -22),
        ];
        using var packet = new TestPacket(new byte[64]);
        var body = P([.. calls.SelectMany((call, slot) => Adjust(call.Helper, call.Delta, slot))]);
        var results = Results(body, Registry, calls.Length, packet);
        Assert.Equal(calls.Select(c => c.Expected), results.Select(r => (long)r));
        Assert.Equal(64, packet.Length);
        Assert.Equal(TestPacket.Headroom, packet.HeadroomLeft);
        Assert.Equal(0, packet.MetaLength);
    }

    [Fact]
    public void Adjust_head_moves_the_metadata_with_the_data_start()
    {
        using var run = new TestPacket([.. Enumerable.Range(0, 20).Select(i => (byte)i)]);
        Assert.Equal([0UL], Results(Adjust(HelperId.XdpAdjustMeta, -8, 0), Registry, 1, run));
        unsafe
        {
            new Span<byte>((void*)run.DataMeta, 8).Fill(0xAB);
        }

        Assert.Equal([0UL, 0UL], Results(P(Adjust(HelperId.XdpAdjustHead, -16, 0), Adjust(HelperId.XdpAdjustHead, 4, 1)), Registry, 2, run));
        Assert.Equal(TestPacket.Headroom - 12, run.HeadroomLeft);
        Assert.Equal(32, run.Length);
        Assert.Equal(8, run.MetaLength);
        unsafe
        {
            Assert.All(new Span<byte>((void*)run.DataMeta, 8).ToArray(), b => Assert.Equal(0xAB, b));
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => (byte)i), run.Bytes[12..].ToArray());
    }

    [Fact]
    public void Adjust_meta_without_driver_support_gives_enotsupp()
    {
        using var packet = new TestPacket(new byte[64], supportsMetadata: false);
        Assert.Equal([Err(Errno.ENOTSUPP)], Results(Adjust(HelperId.XdpAdjustMeta, -4, 0), Registry, 1, packet));
    }

    [Fact]
    public void Growing_the_tail_clears_the_new_bytes()
    {
        using var packet = new TestPacket(new byte[20]);
        packet.Frame[(TestPacket.Headroom + 20)..(TestPacket.Headroom + 40)].Fill(0xEE);
        Assert.Equal([0UL], Results(Adjust(HelperId.XdpAdjustTail, 20, 0), Registry, 1, packet));
        Assert.Equal(40, packet.Length);
        Assert.All(packet.Bytes[20..].ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Xdp_load_and_store_bytes_check_offset_and_length()
    {
        using var packet = new TestPacket([.. Enumerable.Range(0, 32).Select(i => (byte)i)]);
        var body = P(
            StDw(10, -8, 0),
            Mov(1, 0), Mov(2, 24), StackPointer(3, -8), Mov(4, 8), Call(HelperId.XdpLoadBytes), Save(0), LdxDw(0, 10, -8), Save(1),
            Mov(1, 0), Mov(2, 25), StackPointer(3, -8), Mov(4, 8), Call(HelperId.XdpLoadBytes), Save(2),
            Mov(1, 0), Mov(2, 0x10000), StackPointer(3, -8), Mov(4, 8), Call(HelperId.XdpLoadBytes), Save(3),
            StDw(10, -8, -1),
            Mov(1, 0), Mov(2, 2), StackPointer(3, -8), Mov(4, 4), Call(HelperId.XdpStoreBytes), Save(4),
            Mov(1, 0), Mov(2, 30), StackPointer(3, -8), Mov(4, 4), Call(HelperId.XdpStoreBytes), Save(5));
        var results = Results(body, Registry, 6, packet);
        Assert.Equal([0UL, 0x1F1E1D1C1B1A1918UL, Err(Errno.EINVAL), Err(Errno.EFAULT), 0UL, Err(Errno.EINVAL)], results);
        Assert.Equal([0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 6], packet.Bytes[..7].ToArray());
    }

    [Fact]
    public void A_failed_skb_load_zeroes_the_buffer_and_gives_efault()
    {
        using var packet = new TestPacket([.. Enumerable.Range(1, 16).Select(i => (byte)i)], PacketContextKind.TrafficControl);
        var body = P(
            StDw(10, -8, -1), Mov(1, 0), Mov(2, 8), StackPointer(3, -8), Mov(4, 8), Call(HelperId.SkbLoadBytes), Save(0), LdxDw(0, 10, -8), Save(1),
            StDw(10, -8, -1), Mov(1, 0), Mov(2, 9), StackPointer(3, -8), Mov(4, 8), Call(HelperId.SkbLoadBytes), Save(2), LdxDw(0, 10, -8), Save(3),
            StDw(10, -8, -1), Mov(1, 0), Lddw(2, 0x8000_0000), StackPointer(3, -8), Mov(4, 1), Call(HelperId.SkbLoadBytes), Save(4), LdxDw(0, 10, -8), Save(5));
        var results = Results(body, Registry, 6, packet);
        Assert.Equal([0UL, 0x100F0E0D0C0B0A09UL, Err(Errno.EFAULT), 0UL, Err(Errno.EFAULT), 0xFFFF_FFFF_FFFF_FF00UL], results);
    }

    [Fact]
    public void Skb_store_bytes_checks_flags_then_range()
    {
        using var packet = new TestPacket(new byte[16], PacketContextKind.TrafficControl);
        var body = P(StDw(10, -8, 0x44332211),
            Mov(1, 0), Mov(2, 4), StackPointer(3, -8), Mov(4, 4), Mov(5, 3), Call(HelperId.SkbStoreBytes), Save(0),
            Mov(1, 0), Mov(2, 4), StackPointer(3, -8), Mov(4, 4), Mov(5, 4), Call(HelperId.SkbStoreBytes), Save(1),
            Mov(1, 0), Mov(2, 13), StackPointer(3, -8), Mov(4, 4), Mov(5, 0), Call(HelperId.SkbStoreBytes), Save(2));
        Assert.Equal([0UL, Err(Errno.EINVAL), Err(Errno.EFAULT)], Results(body, Registry, 3, packet));
        Assert.Equal([0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44, 0], packet.Bytes[..9].ToArray());
    }

    [Fact]
    public void Redirect_returns_the_verdict_for_the_program_type_and_records_the_target()
    {
        using var xdp = new TestPacket(new byte[64]);
        Assert.Equal([4UL], Results(P(Mov(1, 7), Mov(2, 0), Call(HelperId.Redirect), Save(0)), Registry, 1, xdp));
        Assert.Equal(new PacketRedirect(7, 0, 0, 0), xdp.Redirect);

        using var xdpWithFlags = new TestPacket(new byte[64]);
        Assert.Equal([0UL], Results(P(Mov(1, 7), Mov(2, 1), Call(HelperId.Redirect), Save(0)), Registry, 1, xdpWithFlags));
        Assert.Null(xdpWithFlags.Redirect);

        using var tc = new TestPacket(new byte[64], PacketContextKind.TrafficControl);
        Assert.Equal([7UL, 2UL], Results(P(
            Mov(1, 3), Mov(2, 1), Call(HelperId.Redirect), Save(0),
            Mov(1, 9), Mov(2, 2), Call(HelperId.Redirect), Save(1)), Registry, 2, tc));
        Assert.Equal(new PacketRedirect(3, 0, 0, 1), tc.Redirect);
    }

    [Fact]
    public void Redirect_map_falls_back_to_the_flags_action_on_a_missing_key()
    {
        using var map = CreateMap(MapType.Hash, 4, 4, 8);
        Assert.Equal(Errno.None, map.Update(BitConverter.GetBytes(1), BitConverter.GetBytes(12)));
        using var packet = new TestPacket(new byte[64]);
        var body = P(
            LoadMap(1, map), Mov(2, 5), Mov(3, 2), Call(HelperId.RedirectMap), Save(0),
            LoadMap(1, map), Mov(2, 5), Mov(3, 0x20), Call(HelperId.RedirectMap), Save(1),
            LoadMap(1, map), Mov(2, 1), Mov(3, 0), Call(HelperId.RedirectMap), Save(2));
        Assert.Equal([2UL, 0UL, 4UL], Results(body, Registry, 3, packet));
        Assert.Equal(new PacketRedirect(12, map.Id, 1, 0), packet.Redirect);
    }

    [Theory]
    [InlineData(4, 4, 0u, 0x3b1b)]
    [InlineData(0, 7, 0x12345u, 0xb505)]
    [InlineData(6, 0, 0xffffu, 0xf3f6)]
    [InlineData(8, 8, 0xdeadbeefu, 0x8b4d)]
    [InlineData(3, 5, 7u, 0x3f62)]
    public void Csum_diff_matches_linux_6_18(int fromSize, int toSize, uint seed, int expected)
    {
        // Values measured with the same buffers in an XDP program on the project machine's kernel.
        byte[] from = [1, 2, 3, 4, 5, 6, 7, 8];
        byte[] to = [0xff, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70];
        var body = P(
            StDw(10, -8, 0), StDw(10, -16, 0),
            PrintfTests.StoreString(-8, System.Text.Encoding.Latin1.GetString(from)),
            PrintfTests.StoreString(-16, System.Text.Encoding.Latin1.GetString(to)),
            StackPointer(1, -8), Mov(2, fromSize), StackPointer(3, -16), Mov(4, toSize), Lddw(5, seed), Call(HelperId.CsumDiff), Save(0));
        Assert.Equal([(ulong)expected], Results(body, Registry, 1));
    }

    [Fact]
    public void Csum_diff_of_removed_data_matches_linux_6_18()
    {
        byte[] data = [0xff, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70];
        Assert.Equal(0xfe3fUL, ChecksumHelpers.Diff(data, [], 0));
    }

    [Fact]
    public void Packet_helpers_without_a_packet_context_fault()
    {
        var fault = Assert.Throws<SharpBpf.Execution.ProgramFaultException>(() => Results(Adjust(HelperId.XdpAdjustHead, 4, 0), Registry, 1));
        Assert.Equal(SharpBpf.Execution.FaultKind.HelperFault, fault.Kind);
        Assert.Contains("bpf_xdp_adjust_head", fault.Message);
    }
}

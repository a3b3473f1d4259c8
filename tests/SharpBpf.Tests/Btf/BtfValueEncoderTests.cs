using SharpBpf.Btf;
using SharpBpf.Loader;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Btf;

public class BtfValueEncoderTests
{
    private static readonly CollectionSpec Conntrack = ObjectLoader.LoadFile(Path.Combine(TestPaths.RepoRoot, "examples", "conntrack_timers.o"));
    private static readonly MapSpec Flows = Conntrack.FindMap("flows")!;

    [Fact]
    public void What_the_display_formatter_prints_encodes_back_to_the_same_bytes()
    {
        var key = BtfValueEncoder.Encode(Conntrack.Btf!, Flows.KeyTypeId, new { src_addr = "10.1.2.3", dst_addr = "192.168.0.1", src_port = 443, dst_port = 51000, protocol = 6 });

        Assert.Equal("0a010203c0a8000101bbc73806000000", Convert.ToHexStringLower(key));
        Assert.Equal("{src_addr=10.1.2.3, dst_addr=192.168.0.1, src_port=443, dst_port=51000, protocol=6, pad=[0, 0, 0]}",
            BtfDisplayFormatter.Format(Conntrack.Btf!, Flows.KeyTypeId, key));
    }

    [Fact]
    public void Members_left_out_are_zero_and_dictionaries_name_members_too()
    {
        var value = BtfValueEncoder.Encode(Conntrack.Btf!, Flows.ValueTypeId, new Dictionary<string, object?> { ["bytes"] = 7UL });
        Assert.Equal(40, value.Length);
        Assert.Equal(7UL, BitConverter.ToUInt64(value, 24));
        Assert.Equal([24], Enumerable.Range(0, value.Length).Where(i => value[i] != 0));
    }

    [Theory]
    [InlineData("src_adr", "has no member src_adr (it has src_addr, dst_addr, src_port, dst_port, protocol, pad)")]
    [InlineData("src_addr", "'not-an-address' is not an IP address")]
    public void A_wrong_member_or_value_says_what_the_type_has(string member, string message)
    {
        var key = new Dictionary<string, object?> { [member] = "not-an-address" };
        var error = Assert.Throws<ArgumentException>(() => BtfValueEncoder.Encode(Conntrack.Btf!, Flows.KeyTypeId, key));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_path_finds_type_and_offset()
    {
        var (typeId, offset) = BtfMemberPath.Resolve(Conntrack.Btf!, Flows.ValueTypeId, "last_seen_ns");
        Assert.Equal((32, 8L), (offset, Conntrack.Btf!.TrySizeOf(typeId, out var size) ? size : -1));
        Assert.Throws<ArgumentException>(() => BtfMemberPath.Resolve(Conntrack.Btf!, Flows.ValueTypeId, "last_seen"));
    }
}

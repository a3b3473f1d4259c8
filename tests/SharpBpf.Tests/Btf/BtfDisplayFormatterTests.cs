using System.Buffers.Binary;
using SharpBpf.Btf;
using SharpBpf.Loader;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Btf;

/// <summary>Map keys and values as people read them, on the BTF clang wrote for examples/conntrack_timers.c.</summary>
public class BtfDisplayFormatterTests
{
    private static readonly CollectionSpec Conntrack = ObjectLoader.LoadFile(Path.Combine(TestPaths.RepoRoot, "examples", "conntrack_timers.o"));

    [Fact]
    public void Network_order_addresses_and_ports_print_as_what_they_mean()
    {
        var flows = Conntrack.FindMap("flows")!;
        var key = new byte[16];
        new byte[] { 10, 0, 0, 2 }.CopyTo(key, 0);
        new byte[] { 192, 168, 1, 254 }.CopyTo(key, 4);
        BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(8), 40000);
        BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(10), 53);
        key[12] = 17;

        Assert.Equal("{src_addr=10.0.0.2, dst_addr=192.168.1.254, src_port=40000, dst_port=53, protocol=17, pad=[0, 0, 0]}",
            BtfDisplayFormatter.Format(Conntrack.Btf!, flows.KeyTypeId, key));
    }

    [Fact]
    public void A_timer_prints_as_its_kind_and_counters_as_numbers()
    {
        var flows = Conntrack.FindMap("flows")!;
        var value = new byte[40];
        value.AsSpan(0, 16).Fill(0xab); // whatever the runtime keeps there, user space reads a timer, not bytes
        BinaryPrimitives.WriteUInt64LittleEndian(value.AsSpan(16), 3);
        BinaryPrimitives.WriteUInt64LittleEndian(value.AsSpan(24), 180);
        BinaryPrimitives.WriteUInt64LittleEndian(value.AsSpan(32), ulong.MaxValue);

        Assert.Equal("{idle_timer=<bpf_timer>, packets=3, bytes=180, last_seen_ns=18446744073709551615}",
            BtfDisplayFormatter.Format(Conntrack.Btf!, flows.ValueTypeId, value));
    }

    [Fact]
    public void Global_data_prints_its_variables_by_name()
    {
        var rodata = Conntrack.Maps.Single(m => m.Name.EndsWith(".rodata", StringComparison.Ordinal));
        Assert.Equal("{idle_timeout_ns=1000000000}", BtfDisplayFormatter.Format(Conntrack.Btf!, rodata.ValueTypeId, BitConverter.GetBytes(1_000_000_000UL)));
    }

    [Fact]
    public void Too_few_bytes_for_the_type_is_an_argument_error()
    {
        var flows = Conntrack.FindMap("flows")!;
        Assert.Throws<ArgumentException>(() => BtfDisplayFormatter.Format(Conntrack.Btf!, flows.KeyTypeId, new byte[15]));
    }
}

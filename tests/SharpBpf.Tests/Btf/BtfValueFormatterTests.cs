using System.Buffers.Binary;
using SharpBpf.Btf;

namespace SharpBpf.Tests.Btf;

public class BtfValueFormatterTests
{
    private static readonly BtfSpec Spec = BtfSpec.Parse(BtfTestData.Bytes("types.btf"));

    private static uint Id(string name, BtfKind kind)
    {
        Assert.True(Spec.TryGetByName(name, kind, out var type), name);
        return type.Id;
    }

    [Fact]
    public void FlowKeyWithCharArray()
    {
        var data = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(data, 0x0100007f);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), 0xffffffff);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(8), 443);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(10), 51000);
        data[12] = 6;
        data[13] = (byte)'a';
        data[14] = (byte)'b';
        Assert.Equal("""{"saddr":16777343,"daddr":4294967295,"sport":443,"dport":51000,"proto":6,"tag":"ab"}""",
            BtfValueFormatter.ToJson(Spec, Id("flow_key", BtfKind.Struct), data));
    }

    [Fact]
    public void CharArrayWithoutNulIsAnArray()
    {
        var data = new byte[16];
        data[13] = (byte)'a';
        data[14] = (byte)'b';
        data[15] = (byte)'c';
        Assert.EndsWith("""
            "tag":[97,98,99]}
            """, BtfValueFormatter.ToJson(Spec, Id("flow_key", BtfKind.Struct), data));
    }

    [Fact]
    public void BitfieldsSignedAndWide()
    {
        // ready=1, mode=5, delta=-3 (5 bits), wide=0x12_3456_789a
        ulong packed = 1UL | 5UL << 1 | ((ulong)(-3 & 0x1f)) << 4 | 0x12_3456_789aUL << 9;
        var data = BitConverter.GetBytes(packed);
        Assert.Equal("""{"ready":1,"mode":5,"delta":-3,"wide":78187493530}""",
            BtfValueFormatter.ToJson(Spec, Id("flags", BtfKind.Struct), data));
    }

    [Fact]
    public void WholeMapValueWithEnumUnionAndNestedTimer()
    {
        var data = new byte[96];
        data[0] = 7;                 // count
        data[4] = 7;                 // color BLUE
        data[8] = 1;                 // inner.deadline
        data[40] = 0xff;             // addr.v4 low byte
        "timer\0"u8.CopyTo(data.AsSpan(80));
        var json = BtfValueFormatter.ToJson(Spec, Id("val_with_timer", BtfKind.Struct), data);
        Assert.StartsWith("""{"count":7,"color":"BLUE","inner":{"deadline":1,"timer":{}},""", json);
        Assert.Contains("\"addr\":{\"v4\":255,\"v6\":[255,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}", json);
        Assert.Contains("\"flags\":{\"ready\":0,\"mode\":0,\"delta\":0,\"wide\":0}", json);
        Assert.EndsWith("\"callback\":0,\"name\":\"timer\"}", json);
    }

    [Fact]
    public void EnumWithoutMatchingNameIsANumber()
    {
        var level = Id("level", BtfKind.Enum);
        Assert.Equal("\"LOW\"", BtfValueFormatter.ToJson(Spec, level, BitConverter.GetBytes(-2)));
        Assert.Equal("-5", BtfValueFormatter.ToJson(Spec, level, BitConverter.GetBytes(-5)));
        Assert.Equal("\"BIG_LARGE\"", BtfValueFormatter.ToJson(Spec, Id("big", BtfKind.Enum64), BitConverter.GetBytes(0x1_0000_0000L)));
    }

    [Fact]
    public void DoubleAndDataSection()
    {
        var data = new byte[24];
        BinaryPrimitives.WriteInt32LittleEndian(data, 5);
        Assert.Equal("1.5", BtfValueFormatter.ToJson(Spec, Id("double", BtfKind.Float), BitConverter.GetBytes(1.5)));
        // In the object file the DATASEC offsets are still 0 (libbpf assigns them), so every variable reads offset 0.
        Assert.Equal("""{".data":[{"global_counter":5},{"global_name":[5,0,0,0,0,0,0,0]},{"global_ratio":2.5E-323}]}""",
            BtfValueFormatter.ToJson(Spec, Id(".data", BtfKind.DataSection), data));
    }

    [Fact]
    public void ShortDataIsAnArgumentError() =>
        Assert.Throws<ArgumentException>(() => BtfValueFormatter.ToJson(Spec, Id("flow_key", BtfKind.Struct), new byte[15]));
}

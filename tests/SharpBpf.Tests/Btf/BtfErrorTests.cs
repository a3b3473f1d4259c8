using System.Buffers.Binary;
using SharpBpf.Btf;

namespace SharpBpf.Tests.Btf;

public class BtfErrorTests
{
    private static ObjectLoadException Fails(byte[] blob)
    {
        var error = Assert.Throws<ObjectLoadException>(() => BtfSpec.Parse(blob));
        Assert.Equal(".BTF", error.SectionName);
        Assert.NotNull(error.Offset);
        return error;
    }

    private static byte[] Valid()
    {
        var b = new BtfBlobBuilder();
        var u32 = b.Int("unsigned int", 4);
        b.Struct("pair", 8, ("a", u32, 0), ("b", u32, 32));
        return b.Build();
    }

    [Fact]
    public void ValidSyntheticBlobParses()
    {
        var spec = BtfSpec.Parse(Valid());
        Assert.Equal(3, spec.Types.Count);
        Assert.Equal("struct pair", spec.TypeName(2));
        Assert.Equal(8, spec.SizeOf(2));
    }

    [Fact]
    public void TruncatedHeader()
    {
        var error = Fails(Valid()[..6]);
        Assert.Equal(4, error.Offset); // hdr_len is the first field that does not fit
        Assert.Contains("truncated", error.Reason);
        Assert.Equal(4, Fails(Valid()[..10]).Offset); // hdr_len 24 is beyond the 10 bytes
    }

    [Fact]
    public void EmptyInputIsTruncated() => Assert.Equal(0, Fails([]).Offset);

    [Fact]
    public void BadMagic()
    {
        var blob = Valid();
        blob[0] = 0x12;
        var error = Fails(blob);
        Assert.Equal(0, error.Offset);
        Assert.Contains("bad magic", error.Reason);
    }

    [Fact]
    public void BigEndianIsRecognisedAndRejected()
    {
        var blob = Valid();
        (blob[0], blob[1]) = (blob[1], blob[0]);
        Assert.Contains("big-endian", Fails(blob).Reason);
    }

    [Fact]
    public void BadVersion()
    {
        var blob = Valid();
        blob[2] = 2;
        Assert.Equal(2, Fails(blob).Offset);
    }

    [Fact]
    public void TypeSectionBeyondBlob()
    {
        var blob = Valid();
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), 10_000);
        Assert.Equal(8, Fails(blob).Offset);
    }

    [Fact]
    public void StringSectionBeyondBlob()
    {
        var blob = Valid();
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16), uint.MaxValue);
        Assert.Equal(16, Fails(blob).Offset);
    }

    [Fact]
    public void NameOffsetOutOfRange()
    {
        var b = new BtfBlobBuilder();
        int at = b.NextTypeOffset;
        b.Int("int", 4, signed: true);
        var blob = b.Build();
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(at), 0x00ff_ffff);
        var error = Fails(blob);
        Assert.Equal(at, error.Offset);
        Assert.Contains("name offset", error.Reason);
    }

    [Fact]
    public void UnknownKind()
    {
        var b = new BtfBlobBuilder();
        b.Int("int", 4);
        int at = b.NextTypeOffset;
        b.Add((BtfKind)25, "weird", 0, 0);
        var error = Fails(b.Build());
        Assert.Equal(at + 4, error.Offset);
        Assert.Contains("unknown kind 25", error.Reason);
    }

    [Fact]
    public void TypeIdOutOfRange()
    {
        var b = new BtfBlobBuilder();
        int at = b.NextTypeOffset;
        b.Add(BtfKind.Pointer, "", 0, 99);
        var error = Fails(b.Build());
        Assert.Equal(at + 8, error.Offset);
        Assert.Contains("id 99 is out of range", error.Reason);
    }

    [Fact]
    public void TypedefToItselfIsALoop()
    {
        var b = new BtfBlobBuilder();
        int at = b.NextTypeOffset;
        b.Add(BtfKind.Typedef, "self", 0, 1);
        var error = Fails(b.Build());
        Assert.Equal(at, error.Offset);
        Assert.Contains("type loop", error.Reason);
    }

    [Fact]
    public void ConstVolatileConstIsALoop()
    {
        var b = new BtfBlobBuilder();
        b.Add(BtfKind.Const, "", 0, 2);
        b.Add(BtfKind.Volatile, "", 0, 1);
        var error = Fails(b.Build());
        Assert.Contains("type loop", error.Reason);
        Assert.Contains("Const", error.Reason);
        Assert.Contains("Volatile", error.Reason);
    }

    [Fact]
    public void StructContainingItselfIsALoop()
    {
        var b = new BtfBlobBuilder();
        b.Struct("node", 8, ("next", 1, 0));
        Assert.Contains("type loop", Fails(b.Build()).Reason);
    }

    [Fact]
    public void StructPointingToItselfIsFine()
    {
        var b = new BtfBlobBuilder();
        b.Struct("node", 8, ("next", 2, 0));
        b.Add(BtfKind.Pointer, "", 0, 1);
        var spec = BtfSpec.Parse(b.Build());
        Assert.Equal("struct node *", spec.TypeName(2));
    }

    [Fact]
    public void PointerChainLoop()
    {
        var b = new BtfBlobBuilder();
        b.Add(BtfKind.Pointer, "", 0, 2);
        b.Add(BtfKind.Const, "", 0, 1);
        Assert.Contains("type loop", Fails(b.Build()).Reason);
    }

    [Fact]
    public void AbsurdVlenIsTruncation()
    {
        var b = new BtfBlobBuilder();
        int at = b.NextTypeOffset;
        b.Add(BtfKind.Struct, "big", 0xffff, 4);
        var error = Fails(b.Build());
        Assert.Equal(at + 12, error.Offset);
        Assert.Contains("65535 members", error.Reason);
    }

    [Fact]
    public void VlenOnAKindWithoutMembers()
    {
        var b = new BtfBlobBuilder();
        int at = b.NextTypeOffset;
        b.Add(BtfKind.Pointer, "", 3, 0);
        Assert.Equal(at + 4, Fails(b.Build()).Offset);
    }

    [Fact]
    public void MemberBeyondStructSize()
    {
        var b = new BtfBlobBuilder();
        var u32 = b.Int("unsigned int", 4);
        int at = b.NextTypeOffset;
        b.Struct("short", 4, ("a", u32, 0), ("b", u32, 32));
        var error = Fails(b.Build());
        Assert.Equal(at + 12 + 12 + 8, error.Offset);
    }

    [Fact]
    public void DeepNestingIsRejectedWithoutStackOverflow()
    {
        var b = new BtfBlobBuilder();
        var previous = b.Int("int", 4);
        for (int i = 0; i < 5000; i++)
            previous = b.Add(BtfKind.Array, "", 0, 0, false, previous, 1, 1);
        Assert.Contains("nest deeper", Fails(b.Build()).Reason);
    }

    [Fact]
    public void ArraySizeOverflow()
    {
        var b = new BtfBlobBuilder();
        var u64 = b.Int("unsigned long", 8);
        b.Add(BtfKind.Array, "", 0, 0, false, u64, u64, 0x4000_0000);
        Assert.Contains("overflows", Fails(b.Build()).Reason);
    }

    [Fact]
    public void StringSectionMustStartEmpty()
    {
        var blob = Valid();
        uint strOff = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(16));
        blob[24 + strOff] = (byte)'x';
        Assert.Equal(24 + strOff, Fails(blob).Offset);
    }
}

using System.Buffers.Binary;
using SharpBpf.Btf;

namespace SharpBpf.Tests.Btf;

public class BtfExtErrorTests
{
    private static readonly BtfSpec Btf = BtfSpec.Parse(BtfTestData.Bytes("types.btf"));

    private static byte[] Ext() => BtfTestData.Bytes("types.btf.ext");

    private static ObjectLoadException Fails(byte[] blob)
    {
        var error = Assert.Throws<ObjectLoadException>(() => BtfExtSpec.Parse(blob, Btf));
        Assert.Equal(".BTF.ext", error.SectionName);
        return error;
    }

    private static int Field(byte[] blob, int at) => (int)BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(at));

    [Fact]
    public void TruncatedHeader() => Assert.Equal(4, Fails(Ext()[..5]).Offset);

    [Fact]
    public void BadMagic()
    {
        var blob = Ext();
        blob[1] = 0;
        Assert.Equal(0, Fails(blob).Offset);
    }

    [Fact]
    public void FuncInfoBeyondTheSection()
    {
        var blob = Ext();
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), 100_000);
        Assert.Equal(8, Fails(blob).Offset);
    }

    [Fact]
    public void SectionNameOutOfRange()
    {
        var blob = Ext();
        int firstBlock = Field(blob, 4) + Field(blob, 8) + 4;
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(firstBlock), 0x7fff_ffff);
        Assert.Equal(firstBlock, Fails(blob).Offset);
    }

    [Fact]
    public void AbsurdRecordCount()
    {
        var blob = Ext();
        int firstBlock = Field(blob, 4) + Field(blob, 8) + 4;
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(firstBlock + 4), 0x1000_0000);
        Assert.Equal(firstBlock + 4, Fails(blob).Offset);
    }

    [Fact]
    public void FuncInfoTypeIdOutOfRange()
    {
        var blob = Ext();
        int firstRecord = Field(blob, 4) + Field(blob, 8) + 4 + 8;
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(firstRecord + 4), 5000);
        var error = Fails(blob);
        Assert.Equal(firstRecord + 4, error.Offset);
        Assert.Contains("out of range", error.Reason);
    }

    [Fact]
    public void UnknownCoreRelocationKind()
    {
        var blob = Ext();
        int firstRecord = Field(blob, 4) + Field(blob, 24) + 4 + 8;
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(firstRecord + 12), 13);
        var error = Fails(blob);
        Assert.Equal(firstRecord + 12, error.Offset);
        Assert.Contains("unknown CO-RE relocation kind 13", error.Reason);
    }

    [Fact]
    public void RecordSizeTooSmall()
    {
        var blob = Ext();
        int lineInfo = Field(blob, 4) + Field(blob, 16);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(lineInfo), 8);
        Assert.Equal(lineInfo, Fails(blob).Offset);
    }
}

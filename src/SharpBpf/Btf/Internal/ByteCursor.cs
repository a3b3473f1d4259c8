using System.Buffers.Binary;

namespace SharpBpf.Btf.Internal;

/// <summary>
/// Little-endian reads from a section with bounds checks that report the section and byte offset.
/// Offsets are absolute within the section blob.
/// </summary>
internal readonly ref struct ByteCursor
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _section;

    public ByteCursor(ReadOnlySpan<byte> data, string section)
    {
        _data = data;
        _section = section;
    }

    public int Length => _data.Length;

    public uint U32(long offset, string what)
    {
        if (offset < 0 || offset > _data.Length - 4)
            BtfErrors.Throw(_section, offset, $"truncated: {what} needs 4 bytes at +0x{offset:x} but the section has {_data.Length}");
        return BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice((int)offset, 4));
    }

    public int I32(long offset, string what) => unchecked((int)U32(offset, what));

    public ushort U16(long offset, string what)
    {
        if (offset < 0 || offset > _data.Length - 2)
            BtfErrors.Throw(_section, offset, $"truncated: {what} needs 2 bytes at +0x{offset:x} but the section has {_data.Length}");
        return BinaryPrimitives.ReadUInt16LittleEndian(_data.Slice((int)offset, 2));
    }

    public byte U8(long offset, string what)
    {
        if (offset < 0 || offset >= _data.Length)
            BtfErrors.Throw(_section, offset, $"truncated: {what} needs 1 byte at +0x{offset:x} but the section has {_data.Length}");
        return _data[(int)offset];
    }
}

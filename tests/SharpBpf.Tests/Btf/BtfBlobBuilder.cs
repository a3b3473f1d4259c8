using System.Buffers.Binary;
using System.Text;
using SharpBpf.Btf;

namespace SharpBpf.Tests.Btf;

/// <summary>Writes small synthetic .BTF blobs (header, raw type records, strings) for malformed-input tests.</summary>
internal sealed class BtfBlobBuilder
{
    private readonly List<uint> _types = [];
    private readonly List<byte> _strings = [0];
    private uint _nextId = 1;

    /// <summary>Byte offset (within the blob) of the next type record.</summary>
    public int NextTypeOffset => 24 + _types.Count * 4;

    public uint Str(string text)
    {
        uint offset = (uint)_strings.Count;
        _strings.AddRange(Encoding.UTF8.GetBytes(text));
        _strings.Add(0);
        return offset;
    }

    public uint Add(BtfKind kind, string name, int vlen, uint sizeOrType, bool kindFlag = false, params uint[] extra)
    {
        _types.Add(name.Length == 0 ? 0 : Str(name));
        _types.Add(((uint)kind << 24) | (uint)vlen | (kindFlag ? 1u << 31 : 0));
        _types.Add(sizeOrType);
        _types.AddRange(extra);
        return _nextId++;
    }

    public uint Int(string name, uint size, bool signed = false) =>
        Add(BtfKind.Int, name, 0, size, false, ((signed ? 1u : 0u) << 24) | size * 8);

    public uint Struct(string name, uint size, params (string Name, uint Type, uint BitOffset)[] members) =>
        Add(BtfKind.Struct, name, members.Length, size, false,
            members.SelectMany(m => new[] { m.Name.Length == 0 ? 0 : Str(m.Name), m.Type, m.BitOffset }).ToArray());

    public byte[] Build(ushort magic = 0xEB9F, byte version = 1)
    {
        var types = _types.SelectMany(v => BitConverter.GetBytes(v)).ToArray();
        var blob = new byte[24 + types.Length + _strings.Count];
        BinaryPrimitives.WriteUInt16LittleEndian(blob, magic);
        blob[2] = version;
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), 24);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), (uint)types.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16), (uint)types.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(20), (uint)_strings.Count);
        types.CopyTo(blob, 24);
        _strings.ToArray().CopyTo(blob, 24 + types.Length);
        return blob;
    }
}

using System.Buffers.Binary;
using System.Text;

namespace SharpBpf.Tests.Elf;

/// <summary>
/// Writes small ELF64 EM_BPF relocatable objects for shapes clang does not produce (SHT_RELA, addends),
/// laid out as: header, section data, section header table.
/// </summary>
internal sealed class SyntheticElf
{
    public sealed record Section(string Name, uint Type, byte[] Data, uint Link = 0, uint Info = 0, ulong EntrySize = 0, ulong Flags = 0,
        ulong Alignment = 1);

    private readonly List<Section> sections = [new("", 0, [])];

    public int Add(Section section)
    {
        sections.Add(section);
        return sections.Count - 1;
    }

    public static byte[] Symbol(uint name, byte info, ushort sectionIndex, ulong value, ulong size)
    {
        var entry = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(entry, name);
        entry[4] = info;
        BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(6), sectionIndex);
        BinaryPrimitives.WriteUInt64LittleEndian(entry.AsSpan(8), value);
        BinaryPrimitives.WriteUInt64LittleEndian(entry.AsSpan(16), size);
        return entry;
    }

    public static byte[] Rela(ulong offset, uint symbol, uint type, long addend)
    {
        var entry = new byte[24];
        BinaryPrimitives.WriteUInt64LittleEndian(entry, offset);
        BinaryPrimitives.WriteUInt64LittleEndian(entry.AsSpan(8), ((ulong)symbol << 32) | type);
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(16), addend);
        return entry;
    }

    /// <summary>Serializes the object; a section-name table named .shstrtab is appended last.</summary>
    public byte[] Build()
    {
        var names = new MemoryStream();
        names.WriteByte(0);
        var nameOffsets = new List<uint>();
        foreach (var section in sections.Append(new Section(".shstrtab", 3, [])))
        {
            if (section.Name.Length == 0) { nameOffsets.Add(0); continue; }
            nameOffsets.Add((uint)names.Length);
            names.Write(Encoding.ASCII.GetBytes(section.Name + "\0"));
        }
        var all = sections.Append(new Section(".shstrtab", 3, names.ToArray())).ToList();

        var file = new MemoryStream();
        file.Write(new byte[64]);
        var offsets = new List<ulong>();
        foreach (var section in all)
        {
            while (file.Length % 8 != 0) file.WriteByte(0);
            offsets.Add(section.Type == 8 ? 0 : (ulong)file.Length);
            if (section.Type != 8) file.Write(section.Data);
        }
        while (file.Length % 8 != 0) file.WriteByte(0);
        var shoff = (ulong)file.Length;
        for (var i = 0; i < all.Count; i++)
        {
            var header = new byte[64];
            var s = all[i];
            BinaryPrimitives.WriteUInt32LittleEndian(header, nameOffsets[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), s.Type);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(8), s.Flags);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(24), i == 0 ? 0 : offsets[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(32), (ulong)s.Data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(40), s.Link);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(44), s.Info);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(48), i == 0 ? 0 : s.Alignment);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(56), s.EntrySize);
            file.Write(header);
        }

        var bytes = file.ToArray();
        "\x7f"u8.CopyTo(bytes);
        "ELF"u8.CopyTo(bytes.AsSpan(1));
        bytes[4] = 2; bytes[5] = 1; bytes[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(16), 1);      // ET_REL
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(18), 247);    // EM_BPF
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(40), shoff);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(52), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(58), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(60), (ushort)all.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(62), (ushort)(all.Count - 1));
        return bytes;
    }
}

using System.Buffers.Binary;
using System.Text;

namespace SharpBpf.Tests.Btf;

/// <summary>Just enough ELF64 reading to pull a named section out of the committed test objects.</summary>
internal static class ElfSections
{
    public static byte[] Get(byte[] elf, string name)
    {
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3A));
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        int shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3E));
        Span<byte> Header(int i) => elf.AsSpan((int)shoff + i * shentsize, shentsize);
        var names = Header(shstrndx);
        int namesOffset = (int)BinaryPrimitives.ReadUInt64LittleEndian(names[24..]);
        for (int i = 0; i < shnum; i++)
        {
            var header = Header(i);
            int nameOffset = namesOffset + (int)BinaryPrimitives.ReadUInt32LittleEndian(header);
            int end = Array.IndexOf(elf, (byte)0, nameOffset);
            if (Encoding.ASCII.GetString(elf, nameOffset, end - nameOffset) != name)
                continue;
            int offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[24..]);
            int size = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
            return elf.AsSpan(offset, size).ToArray();
        }
        throw new InvalidOperationException($"no section {name}");
    }
}

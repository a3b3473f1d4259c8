using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace SharpBpf.Isa;

/// <summary>
/// One 8-byte eBPF instruction slot, laid out exactly as on the wire (RFC 9669 §3, little-endian):
/// opcode, dst (low nibble) and src (high nibble) registers, a signed 16-bit offset, a signed 32-bit immediate.
/// A little-endian program can be viewed as <c>MemoryMarshal.Cast&lt;byte, Instruction&gt;</c> without copying.
/// </summary>
/// <remarks>
/// <c>lddw</c> takes two slots; the second carries the upper 32 bits of the constant in its immediate and
/// is itself an <see cref="Instruction"/> with opcode 0. Positions are always slot indices.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal readonly struct Instruction : IEquatable<Instruction>
{
    public const int Size = 8;

    private readonly byte _opcode;
    private readonly byte _registers;
    private readonly short _offset;
    private readonly int _immediate;

    public Instruction(byte opcode, byte dst, byte src, short offset, int immediate)
    {
        _opcode = opcode;
        _registers = (byte)((dst & 0x0f) | (src << 4));
        _offset = offset;
        _immediate = immediate;
    }

    public byte Opcode => _opcode;
    public byte Dst => (byte)(_registers & 0x0f);
    public byte Src => (byte)(_registers >> 4);
    public short Offset => _offset;
    public int Immediate => _immediate;

    public InstructionClass Class => (InstructionClass)(_opcode & 0x07);
    public bool IsLoadImm64 => _opcode == Opcodes.Lddw;

    /// <summary>The instruction as one little-endian 64-bit word (the conformance suite's <c>-- raw</c> form).</summary>
    public ulong RawValue =>
        _opcode | ((ulong)_registers << 8) | ((ulong)(ushort)_offset << 16) | ((ulong)(uint)_immediate << 32);

    public static Instruction FromRaw(ulong raw) =>
        new((byte)raw, (byte)((raw >> 8) & 0x0f), (byte)((raw >> 12) & 0x0f), (short)(raw >> 16), (int)(raw >> 32));

    public Instruction WithImmediate(int immediate) => new(_opcode, Dst, Src, _offset, immediate);
    public Instruction WithOffset(short offset) => new(_opcode, Dst, Src, offset, _immediate);
    public Instruction WithSrc(byte src) => new(_opcode, Dst, src, _offset, _immediate);

    /// <summary>Reads a little-endian byte stream; its length must be a multiple of <see cref="Size"/>.</summary>
    public static Instruction[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % Size != 0)
        {
            throw new ArgumentException($"bytecode length {bytes.Length} is not a multiple of {Size}", nameof(bytes));
        }

        var result = new Instruction[bytes.Length / Size];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = FromRaw(BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(i * Size, Size)));
        }

        return result;
    }

    public static byte[] Encode(ReadOnlySpan<Instruction> instructions)
    {
        var bytes = new byte[instructions.Length * Size];
        for (var i = 0; i < instructions.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * Size), instructions[i].RawValue);
        }

        return bytes;
    }

    public bool Equals(Instruction other) => RawValue == other.RawValue;
    public override bool Equals(object? obj) => obj is Instruction other && Equals(other);
    public override int GetHashCode() => RawValue.GetHashCode();
    public static bool operator ==(Instruction left, Instruction right) => left.Equals(right);
    public static bool operator !=(Instruction left, Instruction right) => !left.Equals(right);

    public override string ToString() =>
        $"op=0x{_opcode:x2} dst=r{Dst} src=r{Src} off={_offset} imm={_immediate}";
}

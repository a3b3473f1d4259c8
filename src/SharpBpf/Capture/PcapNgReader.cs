using System.Buffers.Binary;

namespace SharpBpf.Capture;

/// <summary>
/// pcapng: a sequence of sections, each a Section Header Block (whose byte-order magic sets the section's byte
/// order) followed by Interface Description Blocks (link type, snap length, timestamp resolution and offset per
/// interface) and packet blocks: Enhanced (interface, timestamp, lengths), Simple (interface 0, no timestamp: it
/// takes the previous packet's) and the obsolete Packet Block. Other blocks (name resolution, statistics, custom,
/// secrets) are skipped after their lengths are checked.
/// </summary>
internal sealed class PcapNgReader : CaptureReader
{
    public const uint SectionHeaderType = 0x0a0d0d0a;
    private const uint ByteOrderMagic = 0x1a2b3c4d;
    private const uint InterfaceDescriptionType = 1;
    private const uint ObsoletePacketType = 2;
    private const uint SimplePacketType = 3;
    private const uint EnhancedPacketType = 6;

    private const ushort EndOfOptions = 0;
    private const ushort TimestampResolutionOption = 9;
    private const ushort TimestampOffsetOption = 14;

    // Blocks other than packets (name tables, custom blocks) may be large, but not larger than this in any real capture.
    private const int MaxBlockLength = 16 << 20;

    private readonly List<Interface> _interfaces = [];
    private bool _bigEndian;
    private long _lastTimestamp;

    public PcapNgReader(Stream stream, string? fileName, bool ownsStream) : base(stream, fileName, ownsStream)
    {
    }

    public override CaptureFormat Format => CaptureFormat.PcapNg;

    private readonly record struct Interface(LinkType LinkType, uint SnapLength, long UnitsPerSecond, long OffsetSeconds);

    private protected override void Start(ReadOnlySpan<byte> magic)
    {
        Record = 1;
        ReadSectionHeader(1, 0);
    }

    public override bool Read(out CapturedPacket packet)
    {
        while (true)
        {
            var offset = Position;
            var record = Record + 1;
            if (!TryReadRecordStart(4, record, "block header", out var typeBytes))
            {
                packet = default;
                return false;
            }

            Record = record;
            var type = U32(typeBytes);
            if (type == SectionHeaderType)
            {
                ReadSectionHeader(record, offset);
                continue;
            }

            var length = U32(ReadExactly(4, record, offset, "block header"));
            var body = ReadBody(length, 8, record, offset);
            switch (type)
            {
                case InterfaceDescriptionType:
                    _interfaces.Add(ReadInterface(body, record, offset));
                    break;
                case EnhancedPacketType:
                    packet = EnhancedPacket(body, record, offset);
                    return true;
                case SimplePacketType:
                    packet = SimplePacket(body, record, offset);
                    return true;
                case ObsoletePacketType:
                    packet = ObsoletePacket(body, record, offset);
                    return true;
            }
        }
    }

    private void ReadSectionHeader(long record, long offset)
    {
        var start = ReadExactly(8, record, offset, "section header block");
        var bom = BinaryPrimitives.ReadUInt32LittleEndian(start[4..]);
        _bigEndian = bom switch
        {
            ByteOrderMagic => false,
            0x4d3c2b1a => true,
            _ => throw Error($"section header byte-order magic 0x{bom:x8} is not 0x1a2b3c4d in either byte order", record, offset),
        };
        var length = U32(start);
        var body = ReadBody(length, 12, record, offset);
        if (body.Length < 12)
        {
            throw Error($"section header block of {length} bytes is shorter than its 28-byte minimum", record, offset);
        }

        var major = U16(body);
        if (major != 1)
        {
            throw Error($"pcapng version {major}.{U16(body[2..])} is not 1.x", record, offset);
        }

        _interfaces.Clear(); // interface numbers start again in every section
    }

    /// <summary>Reads the rest of a block (its body and trailing length) of which <paramref name="readSoFar"/> bytes are read;
    /// the body starts at the reader's buffer's first byte.</summary>
    private ReadOnlySpan<byte> ReadBody(uint length, int readSoFar, long record, long offset)
    {
        if (length % 4 != 0 || length < readSoFar + 4 || length > MaxBlockLength)
        {
            throw Error($"block length {length} is not a multiple of 4 between {readSoFar + 4} and {MaxBlockLength}", record, offset);
        }

        var rest = ReadExactly((int)length - readSoFar, record, offset, "block");
        var trailing = U32(rest[^4..]);
        if (trailing != length)
        {
            throw Error($"block length {length} at its start but {trailing} at its end", record, offset);
        }

        return rest[..^4];
    }

    private Interface ReadInterface(ReadOnlySpan<byte> body, long record, long offset)
    {
        if (body.Length < 8)
        {
            throw Error($"interface description of {body.Length} body bytes is shorter than 8", record, offset);
        }

        var linkType = (LinkType)U16(body);
        var snapLength = U32(body[4..]);
        var resolution = (byte)6;
        long offsetSeconds = 0;
        var options = body[8..];
        while (options.Length >= 4)
        {
            var code = U16(options);
            var length = U16(options[2..]);
            var padded = (length + 3) & ~3;
            if (code == EndOfOptions) break;
            if (padded > options.Length - 4)
            {
                throw Error($"interface option {code} of {length} bytes runs past its block", record, offset);
            }

            var value = options.Slice(4, length);
            if (code == TimestampResolutionOption && length == 1) resolution = value[0];
            if (code == TimestampOffsetOption && length == 8) offsetSeconds = (long)U64(value);
            options = options[(4 + padded)..];
        }

        var powerOfTwo = (resolution & 0x80) != 0;
        var exponent = resolution & 0x7f;
        if (powerOfTwo ? exponent > 62 : exponent > 18)
        {
            throw Error($"timestamp resolution 0x{resolution:x2} is finer than SharpBpf can count", record, offset);
        }

        var unitsPerSecond = powerOfTwo ? 1L << exponent : (long)Math.Pow(10, exponent);
        return new Interface(linkType, snapLength, unitsPerSecond, offsetSeconds);
    }

    private CapturedPacket EnhancedPacket(ReadOnlySpan<byte> body, long record, long offset)
    {
        if (body.Length < 20)
        {
            throw Error($"enhanced packet block of {body.Length} body bytes is shorter than 20", record, offset);
        }

        var id = U32(body);
        var units = ((ulong)U32(body[4..]) << 32) | U32(body[8..]);
        return Packet(id, units, U32(body[12..]), U32(body[16..]), body.Length - 20, 20, record, offset);
    }

    private CapturedPacket ObsoletePacket(ReadOnlySpan<byte> body, long record, long offset)
    {
        if (body.Length < 20)
        {
            throw Error($"packet block of {body.Length} body bytes is shorter than 20", record, offset);
        }

        var units = ((ulong)U32(body[4..]) << 32) | U32(body[8..]);
        return Packet(U16(body), units, U32(body[12..]), U32(body[16..]), body.Length - 20, 20, record, offset);
    }

    private CapturedPacket SimplePacket(ReadOnlySpan<byte> body, long record, long offset)
    {
        if (body.Length < 4)
        {
            throw Error($"simple packet block of {body.Length} body bytes is shorter than 4", record, offset);
        }

        var iface = InterfaceAt(0, record, offset);
        var original = U32(body);
        // A simple packet block holds min(original length, snap length) bytes and no timestamp.
        var captured = iface.SnapLength == 0 ? original : Math.Min(original, iface.SnapLength);
        return Packet(0, null, captured, original, body.Length - 4, 4, record, offset);
    }

    private CapturedPacket Packet(uint interfaceId, ulong? units, uint captured, uint original, int room, int dataStart, long record, long offset)
    {
        var iface = InterfaceAt(interfaceId, record, offset);
        if (captured > room)
        {
            throw Error($"captured length {captured} runs past its block ({room} bytes of room)", record, offset);
        }

        if (iface.SnapLength != 0 && captured > iface.SnapLength)
        {
            throw Error($"captured length {captured} is longer than interface {interfaceId}'s snap length {iface.SnapLength}", record, offset);
        }

        if (captured > MaxPacketLength)
        {
            throw Error($"captured length {captured} is longer than {MaxPacketLength}", record, offset);
        }

        if (units is { } ticks)
        {
            _lastTimestamp = ToNanoseconds(ticks, iface);
        }

        return new CapturedPacket(_lastTimestamp, Buffered(dataStart, (int)captured), (int)Math.Min(original, int.MaxValue),
            (int)interfaceId, iface.LinkType, record, offset);
    }

    private Interface InterfaceAt(uint id, long record, long offset) => id < _interfaces.Count
        ? _interfaces[(int)id]
        : throw Error($"packet of interface {id}, but the section describes {_interfaces.Count} interface(s)", record, offset);

    private static long ToNanoseconds(ulong units, Interface iface)
    {
        var whole = (Int128)units * 1_000_000_000 / iface.UnitsPerSecond;
        var ns = whole + (Int128)iface.OffsetSeconds * 1_000_000_000;
        return ns > long.MaxValue ? long.MaxValue : ns < long.MinValue ? long.MinValue : (long)ns;
    }

    private ushort U16(ReadOnlySpan<byte> bytes) => _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);

    private uint U32(ReadOnlySpan<byte> bytes) => _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    private ulong U64(ReadOnlySpan<byte> bytes) => _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes);
}

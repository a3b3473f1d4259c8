using System.Buffers.Binary;

namespace SharpBpf.Capture;

/// <summary>
/// libpcap's format: a 24-byte file header (magic, version, snap length, link type) then records of a 16-byte header
/// (seconds, micro- or nanoseconds, captured length, original length) and the captured bytes. The magic's byte order
/// is the file's; its value says whether the fraction counts micro- or nanoseconds.
/// </summary>
internal sealed class PcapReader : CaptureReader
{
    public const uint MicrosecondMagic = 0xa1b2c3d4;
    public const uint NanosecondMagic = 0xa1b23c4d;
    public const uint MicrosecondMagicSwapped = 0xd4c3b2a1;
    public const uint NanosecondMagicSwapped = 0x4d3cb2a1;

    private const int FileHeaderLength = 24;
    private const int RecordHeaderLength = 16;

    private bool _bigEndian;
    private long _fractionToNs;
    private uint _snapLength;
    private LinkType _linkType;

    public PcapReader(Stream stream, string? fileName, bool ownsStream) : base(stream, fileName, ownsStream)
    {
    }

    public override CaptureFormat Format => CaptureFormat.Pcap;

    public LinkType LinkType => _linkType;

    public uint SnapLength => _snapLength;

    private protected override void Start(ReadOnlySpan<byte> magic)
    {
        var value = BinaryPrimitives.ReadUInt32LittleEndian(magic);
        _bigEndian = value is MicrosecondMagicSwapped or NanosecondMagicSwapped;
        _fractionToNs = value is NanosecondMagic or NanosecondMagicSwapped ? 1 : 1000;
        var header = ReadExactly(FileHeaderLength - 4, 0, 0, "pcap file header");
        var major = U16(header[0..]);
        if (major != 2)
        {
            throw Error($"pcap version {major}.{U16(header[2..])} is not 2.x", 0, 0);
        }

        _snapLength = U32(header[12..]);
        // The upper bits of the link-type word carry the FCS length (pcap spec, LinkType and additional information).
        _linkType = (LinkType)(U32(header[16..]) & 0x0fff_ffff);
    }

    public override bool Read(out CapturedPacket packet)
    {
        var offset = Position;
        var record = Record + 1;
        if (!TryReadRecordStart(RecordHeaderLength, record, "record header", out var header))
        {
            packet = default;
            return false;
        }

        Record = record;
        var seconds = U32(header[0..]);
        var fraction = U32(header[4..]);
        var captured = U32(header[8..]);
        var original = U32(header[12..]);
        if (_fractionToNs == 1000 ? fraction >= 1_000_000 : fraction >= 1_000_000_000)
        {
            throw Error($"timestamp fraction {fraction} is not below one second", record, offset);
        }

        var limit = _snapLength == 0 ? (uint)MaxPacketLength : Math.Min(_snapLength, (uint)MaxPacketLength);
        if (captured > limit)
        {
            throw Error($"captured length {captured} is longer than the snap length {limit}", record, offset);
        }

        if (captured > original)
        {
            throw Error($"captured length {captured} is longer than the packet's original length {original}", record, offset);
        }

        ReadExactly((int)captured, record, offset, "packet data");
        packet = new CapturedPacket(seconds * 1_000_000_000L + fraction * _fractionToNs, Buffered(0, (int)captured),
            (int)Math.Min(original, int.MaxValue), 0, _linkType, record, offset);
        return true;
    }

    private ushort U16(ReadOnlySpan<byte> bytes) => _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);

    private uint U32(ReadOnlySpan<byte> bytes) => _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
}

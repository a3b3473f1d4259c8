using System.Buffers.Binary;

namespace SharpBpf.Tests.Capture;

/// <summary>Builds pcap and pcapng files byte by byte, in either byte order, for the reader's tests.</summary>
internal static class TestCaptures
{
    /// <summary>A pcap file: microsecond or nanosecond magic, either byte order; each packet (seconds, fraction, bytes).</summary>
    public static byte[] Pcap(bool nanoseconds, bool bigEndian, uint snapLength, uint linkType, params (uint Seconds, uint Fraction, byte[] Data)[] packets)
    {
        var bytes = new List<byte>();
        Add(bytes, nanoseconds ? 0xa1b23c4du : 0xa1b2c3d4u, bigEndian);
        Add16(bytes, 2, bigEndian);
        Add16(bytes, 4, bigEndian);
        Add(bytes, 0, bigEndian);
        Add(bytes, 0, bigEndian);
        Add(bytes, snapLength, bigEndian);
        Add(bytes, linkType, bigEndian);
        foreach (var (seconds, fraction, data) in packets)
        {
            Add(bytes, seconds, bigEndian);
            Add(bytes, fraction, bigEndian);
            Add(bytes, (uint)data.Length, bigEndian);
            Add(bytes, (uint)data.Length, bigEndian);
            bytes.AddRange(data);
        }

        return [.. bytes];
    }

    public static byte[] SectionHeader(bool bigEndian)
    {
        var body = new List<byte>();
        Add(body, 0x1a2b3c4d, bigEndian);
        Add16(body, 1, bigEndian);
        Add16(body, 0, bigEndian);
        Add64(body, ulong.MaxValue, bigEndian);
        return Block(0x0a0d0d0a, [.. body], bigEndian);
    }

    /// <summary>An interface description; <paramref name="resolution"/> is if_tsresol's byte (null: the default, microseconds).</summary>
    public static byte[] Interface(ushort linkType, uint snapLength, byte? resolution, bool bigEndian, long? offsetSeconds = null)
    {
        var body = new List<byte>();
        Add16(body, linkType, bigEndian);
        Add16(body, 0, bigEndian);
        Add(body, snapLength, bigEndian);
        if (resolution is { } r)
        {
            Add16(body, 9, bigEndian);
            Add16(body, 1, bigEndian);
            body.AddRange([r, 0, 0, 0]);
        }

        if (offsetSeconds is { } o)
        {
            Add16(body, 14, bigEndian);
            Add16(body, 8, bigEndian);
            Add64(body, (ulong)o, bigEndian);
        }

        Add16(body, 0, bigEndian);
        Add16(body, 0, bigEndian);
        return Block(1, [.. body], bigEndian);
    }

    public static byte[] Enhanced(uint interfaceId, ulong units, byte[] data, bool bigEndian, uint? originalLength = null)
    {
        var body = new List<byte>();
        Add(body, interfaceId, bigEndian);
        Add(body, (uint)(units >> 32), bigEndian);
        Add(body, (uint)units, bigEndian);
        Add(body, (uint)data.Length, bigEndian);
        Add(body, originalLength ?? (uint)data.Length, bigEndian);
        body.AddRange(data);
        return Block(6, Padded(body), bigEndian);
    }

    public static byte[] Simple(byte[] data, bool bigEndian)
    {
        var body = new List<byte>();
        Add(body, (uint)data.Length, bigEndian);
        body.AddRange(data);
        return Block(3, Padded(body), bigEndian);
    }

    public static byte[] Block(uint type, byte[] body, bool bigEndian)
    {
        var bytes = new List<byte>();
        Add(bytes, type, bigEndian);
        Add(bytes, (uint)(body.Length + 12), bigEndian);
        bytes.AddRange(body);
        Add(bytes, (uint)(body.Length + 12), bigEndian);
        return [.. bytes];
    }

    public static byte[] Frame(byte marker, int length = 60)
    {
        var frame = new byte[length];
        frame[12] = 0x08; // IPv4 ethertype, so the bytes look like what XDP programs get
        frame[^1] = marker;
        return frame;
    }

    private static byte[] Padded(List<byte> body)
    {
        while (body.Count % 4 != 0) body.Add(0);
        return [.. body];
    }

    private static void Add(List<byte> bytes, uint value, bool bigEndian)
    {
        Span<byte> span = stackalloc byte[4];
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(span, value); else BinaryPrimitives.WriteUInt32LittleEndian(span, value);
        bytes.AddRange(span);
    }

    private static void Add16(List<byte> bytes, ushort value, bool bigEndian)
    {
        Span<byte> span = stackalloc byte[2];
        if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(span, value); else BinaryPrimitives.WriteUInt16LittleEndian(span, value);
        bytes.AddRange(span);
    }

    private static void Add64(List<byte> bytes, ulong value, bool bigEndian)
    {
        Span<byte> span = stackalloc byte[8];
        if (bigEndian) BinaryPrimitives.WriteUInt64BigEndian(span, value); else BinaryPrimitives.WriteUInt64LittleEndian(span, value);
        bytes.AddRange(span);
    }
}

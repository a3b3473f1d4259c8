using System.Buffers.Binary;
using System.Net;

namespace SharpBpf.Examples.RateLimitedEcho;

/// <summary>
/// The Ethernet/IPv4/UDP frame a datagram would have arrived in, so an XDP program sees what it sees on a NIC:
/// the sender's address and port, ours, and the payload.
/// </summary>
public static class DatagramFrame
{
    private const int Headers = 14 + 20 + 8;

    /// <summary>Writes the frame into <paramref name="frame"/> (at least 42 bytes more than the payload); returns its length.</summary>
    public static int Write(IPEndPoint from, IPEndPoint to, ReadOnlySpan<byte> payload, Span<byte> frame)
    {
        var length = Headers + payload.Length;
        frame[..Headers].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], 0x0800);
        var ip = frame[14..];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 8 + payload.Length));
        ip[8] = 64;
        ip[9] = 17;
        from.Address.MapToIPv4().TryWriteBytes(ip[12..], out _);
        to.Address.MapToIPv4().TryWriteBytes(ip[16..], out _);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip[..20]));
        var udp = frame[34..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)from.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], (ushort)to.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload.Length));
        payload.CopyTo(frame[Headers..]);
        return length;
    }

    private static ushort Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i < header.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }
}

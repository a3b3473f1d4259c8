using System.Buffers.Binary;

namespace SharpBpf.Capture;

/// <summary>
/// Writes packets to a pcap file with nanosecond timestamps (magic 0xa1b23c4d, little-endian), so a replay's output
/// keeps its input's timestamps exactly, whichever resolution the input had.
/// </summary>
public sealed class PcapWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly byte[] _header = new byte[16];

    /// <summary>Creates (or truncates) <paramref name="path"/> and writes the pcap file header.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="linkType">The framing of every packet written (Ethernet for XDP programs).</param>
    /// <param name="snapLength">The largest packet length the header announces; longer packets are cut to it.</param>
    public PcapWriter(string path, LinkType linkType = LinkType.Ethernet, uint snapLength = CaptureReader.MaxPacketLength)
    {
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, PcapReader.NanosecondMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)linkType);
        _stream.Write(header);
        SnapLength = snapLength;
    }

    /// <summary>The snap length written in the header: packets are cut to at most this many bytes.</summary>
    public uint SnapLength { get; }

    /// <summary>How many packets have been written.</summary>
    public long PacketsWritten { get; private set; }

    /// <summary>Writes one packet; bytes past the snap length are cut, as a capture does, and the original length kept.</summary>
    public void Write(long timestampNs, ReadOnlySpan<byte> data, int? originalLength = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timestampNs);
        var captured = Math.Min(data.Length, (int)SnapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(_header, (uint)(timestampNs / 1_000_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(4), (uint)(timestampNs % 1_000_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(8), (uint)captured);
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(12), (uint)Math.Max(originalLength ?? data.Length, captured));
        _stream.Write(_header);
        _stream.Write(data[..captured]);
        PacketsWritten++;
    }

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose() => _stream.Dispose();
}

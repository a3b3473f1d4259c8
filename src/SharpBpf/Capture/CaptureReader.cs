using System.Buffers.Binary;

namespace SharpBpf.Capture;

/// <summary>
/// Reads the packets of a pcap or pcapng capture one at a time, in file order, from a stream (no native library, no
/// whole-file buffering: a capture of millions of packets reads in constant memory). Every length read from the file
/// is checked against the snap length and what remains of the file before it is used; anything that does not add up
/// is a <see cref="CaptureFormatException"/> naming the record and its offset, raised when that record is reached,
/// so the packets before it have been read.
/// </summary>
public abstract class CaptureReader : IDisposable
{
    /// <summary>The largest packet SharpBpf reads (pcapng's and libpcap's usual 256 KiB bound on snap lengths).</summary>
    public const int MaxPacketLength = 262_144;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private byte[] _buffer = new byte[2048];

    private protected CaptureReader(Stream stream, string? fileName, bool ownsStream)
    {
        _stream = stream;
        FileName = fileName;
        _ownsStream = ownsStream;
    }

    /// <summary>The file being read, or null for a stream opened without a name.</summary>
    public string? FileName { get; }

    /// <summary>Whether the capture is a pcap (either timestamp resolution, either byte order) or a pcapng.</summary>
    public abstract CaptureFormat Format { get; }

    /// <summary>Records read so far (packets of a pcap; blocks of a pcapng).</summary>
    public long Record { get; private protected set; }

    /// <summary>Where the next record starts.</summary>
    public long Position { get; private set; }

    /// <summary>Opens a capture file, telling pcap from pcapng by its first bytes.</summary>
    public static CaptureReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            return Open(stream, Path.GetFileName(path), ownsStream: true);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens a capture on a stream positioned at its first byte.</summary>
    public static CaptureReader Open(Stream stream, string? fileName = null, bool ownsStream = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> magic = stackalloc byte[4];
        var got = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4)
        {
            throw new CaptureFormatException($"not a capture: {got} bytes, too short for a pcap or pcapng header", fileName, 0, 0);
        }

        var little = BinaryPrimitives.ReadUInt32LittleEndian(magic);
        CaptureReader reader = little switch
        {
            PcapReader.MicrosecondMagic or PcapReader.NanosecondMagic
                or PcapReader.MicrosecondMagicSwapped or PcapReader.NanosecondMagicSwapped => new PcapReader(stream, fileName, ownsStream),
            PcapNgReader.SectionHeaderType => new PcapNgReader(stream, fileName, ownsStream),
            _ => throw new CaptureFormatException($"not a capture: magic 0x{little:x8} is neither pcap nor pcapng", fileName, 0, 0),
        };
        reader.Position = 4;
        reader.Start(magic);
        return reader;
    }

    /// <summary>
    /// Reads the next packet, skipping blocks that carry none. False at the end of the capture. The packet's bytes are
    /// valid until the next call.
    /// </summary>
    public abstract bool Read(out CapturedPacket packet);

    /// <summary>Every remaining packet, each with its own copy of the bytes.</summary>
    public IEnumerable<CapturedPacket> ReadAll()
    {
        while (Read(out var packet))
        {
            yield return packet with { Data = packet.Data.ToArray() };
        }
    }

    /// <summary>Reads the file header after its first four bytes.</summary>
    private protected abstract void Start(ReadOnlySpan<byte> magic);

    /// <summary>Reads exactly <paramref name="count"/> bytes into the reader's buffer, or reports a truncated record.</summary>
    private protected Span<byte> ReadExactly(int count, long record, long recordOffset, string what)
    {
        if (_buffer.Length < count)
        {
            _buffer = new byte[Math.Max(count, _buffer.Length * 2)];
        }

        var span = _buffer.AsSpan(0, count);
        var got = _stream.ReadAtLeast(span, count, throwOnEndOfStream: false);
        Position += got;
        if (got < count)
        {
            throw Error($"truncated {what}: {count} bytes needed, {got} left in the file", record, recordOffset);
        }

        return span;
    }

    /// <summary>The buffer's first <paramref name="count"/> bytes as memory (what <see cref="ReadExactly"/> filled).</summary>
    private protected ReadOnlyMemory<byte> Buffered(int start, int count) => _buffer.AsMemory(start, count);

    /// <summary>
    /// Reads the first <paramref name="count"/> bytes of the next record: false at a clean end of file (no byte of
    /// a next record), a truncated record when only some of them are there.
    /// </summary>
    private protected bool TryReadRecordStart(int count, long record, string what, out Span<byte> span)
    {
        var start = Position;
        span = _buffer.AsSpan(0, count);
        var got = _stream.ReadAtLeast(span, count, throwOnEndOfStream: false);
        Position += got;
        if (got == 0) return false;
        if (got < count)
        {
            throw Error($"truncated {what}: {count} bytes needed, {got} left in the file", record, start);
        }

        return true;
    }

    private protected CaptureFormatException Error(string reason, long record, long offset) => new(reason, FileName, record, offset);

    /// <summary>Closes the underlying stream when the reader owns it.</summary>
    public void Dispose()
    {
        if (_ownsStream)
        {
            _stream.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}

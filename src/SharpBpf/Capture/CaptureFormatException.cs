namespace SharpBpf.Capture;

/// <summary>
/// A packet capture that cannot be read: not a capture, a truncated record, a record longer than its snap length or
/// the file, an unknown interface or link type. Names the file, the record (1-based, in file order: packets of a pcap,
/// blocks of a pcapng) and its byte offset.
/// </summary>
public sealed class CaptureFormatException : BpfException
{
    /// <summary>Creates the exception for the record at <paramref name="record"/>, starting at byte <paramref name="offset"/> of <paramref name="fileName"/>.</summary>
    public CaptureFormatException(string reason, string? fileName, long record, long offset)
        : base($"{fileName ?? "capture"}: record {record} at offset {offset}: {reason}")
    {
        Reason = reason;
        FileName = fileName;
        Record = record;
        Offset = offset;
    }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }

    /// <summary>The capture file, or null when read from a stream without a name.</summary>
    public string? FileName { get; }

    /// <summary>The record at fault, counted from 1 (0 for the file header).</summary>
    public long Record { get; }

    /// <summary>Where the record starts in the file.</summary>
    public long Offset { get; }
}

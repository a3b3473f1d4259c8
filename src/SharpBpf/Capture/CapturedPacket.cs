namespace SharpBpf.Capture;

/// <summary>
/// One packet of a capture. <see cref="Data"/> is the captured bytes (possibly fewer than <see cref="OriginalLength"/>
/// when the capture cut them at its snap length); a reader reuses its buffer, so the bytes are valid until the next
/// read. <see cref="TimestampNs"/> is nanoseconds since the Unix epoch, in the capture's own clock.
/// </summary>
public readonly record struct CapturedPacket(
    long TimestampNs,
    ReadOnlyMemory<byte> Data,
    int OriginalLength,
    int InterfaceIndex,
    LinkType LinkType,
    long Record,
    long Offset);

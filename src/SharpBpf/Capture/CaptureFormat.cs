namespace SharpBpf.Capture;

/// <summary>The container a capture file uses; its first four bytes tell them apart.</summary>
public enum CaptureFormat
{
    /// <summary>libpcap's format, microsecond or nanosecond timestamps, either byte order.</summary>
    Pcap,

    /// <summary>pcapng: sections, interfaces with their own link type and timestamp resolution, packet blocks.</summary>
    PcapNg,
}

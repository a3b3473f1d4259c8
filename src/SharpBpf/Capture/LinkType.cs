namespace SharpBpf.Capture;

/// <summary>The tcpdump.org LINKTYPE_ values a capture names its interfaces' framing with (the few SharpBpf names).</summary>
public enum LinkType : uint
{
    Null = 0,
    Ethernet = 1,
    Raw = 101,
    LinuxSll = 113,
    Ipv4 = 228,
    Ipv6 = 229,
    LinuxSll2 = 276,
}

namespace SharpBpf.Capture;

/// <summary>The tcpdump.org LINKTYPE_ values a capture names its interfaces' framing with (the few SharpBpf names).</summary>
public enum LinkType : uint
{
    /// <summary><c>LINKTYPE_NULL</c>: BSD loopback: a 4-byte host-order address family, then the IP packet.</summary>
    Null = 0,
    /// <summary><c>LINKTYPE_ETHERNET</c>: Ethernet II frames (what XDP and tc programs see).</summary>
    Ethernet = 1,
    /// <summary><c>LINKTYPE_RAW</c>: raw IPv4 or IPv6 packets without a link header.</summary>
    Raw = 101,
    /// <summary><c>LINKTYPE_LINUX_SLL</c>: Linux "cooked" capture v1 (<c>tcpdump -i any</c>).</summary>
    LinuxSll = 113,
    /// <summary><c>LINKTYPE_IPV4</c>: raw IPv4 packets.</summary>
    Ipv4 = 228,
    /// <summary><c>LINKTYPE_IPV6</c>: raw IPv6 packets.</summary>
    Ipv6 = 229,
    /// <summary><c>LINKTYPE_LINUX_SLL2</c>: Linux "cooked" capture v2.</summary>
    LinuxSll2 = 276,
}

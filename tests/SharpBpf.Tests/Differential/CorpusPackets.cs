namespace SharpBpf.Tests.Differential;

/// <summary>
/// The packets the corpus's XDP and TC programs see, built here so each one says what it exercises: Ethernet with
/// and without VLAN tags, IPv4 and IPv6 (with extension headers), TCP with options, UDP, ARP, a truncated header,
/// and the message batches the state machine reads.
/// </summary>
internal static class CorpusPackets
{
    public static IReadOnlyList<(string Name, byte[] Bytes)> Frames { get; } =
    [
        ("ipv4 tcp syn with mss", Ethernet(0x0800, Ipv4(6, Tcp(syn: true, options: [1, 1, 2, 4, 0x05, 0xb4, 0, 0])))),
        ("ipv4 tcp ack", Ethernet(0x0800, Ipv4(6, Tcp(syn: false, options: [])))),
        ("ipv4 udp in two vlan tags", Ethernet(0x88a8, Vlan(7, 0x8100, Vlan(9, 0x0800, Ipv4(17, Udp(5353, 53)))))),
        ("ipv6 udp behind hop-by-hop and destination options", Ethernet(0x86dd, Ipv6(0, Extension(60, 1, Extension(17, 0, Udp(1000, 2000)))))),
        ("ipv6 tcp", Ethernet(0x86dd, Ipv6(6, Tcp(syn: true, options: [2, 4, 0x23, 0x28])))),
        ("ipv4 icmp", Ethernet(0x0800, Ipv4(1, new byte[8]))),
        ("arp", Ethernet(0x0806, new byte[28])),
        ("ipv4 truncated udp", Ethernet(0x0800, Ipv4(17, new byte[3]))),
    ];

    /// <summary>
    /// Raw message batches, not Ethernet II frames: XDP programs only. (Linux's TC test run derives skb->protocol
    /// from them with eth_type_trans, giving ETH_P_802_2, where SharpBpf keeps the raw type field.)
    /// </summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> MessageBatches { get; } =
    [
        ("state machine: open, answer, data, close", Messages((1, 0, 100, 1, 10), (1, 0, -50, 2, 20), (3, 0, 7, 3, 30), (4, 0, -2000, 1, 0))),
        ("state machine: two connections", Messages((0, 1, 5, 9, 1), (2, 1, 6, 8, 2), (0, 2, -1, -5, 3), (5, 2, 0, -6, 4))),
    ];

    private static byte[] Ethernet(ushort type, byte[] payload) =>
        [.. new byte[] { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 }, .. BigEndian(type), .. payload];

    private static byte[] Vlan(ushort id, ushort inner, byte[] payload) => [.. BigEndian(id), .. BigEndian(inner), .. payload];

    private static byte[] Ipv4(byte protocol, byte[] payload) =>
        [0x45, 0, .. BigEndian((ushort)(20 + payload.Length)), 0, 1, 0x40, 0, 64, protocol, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, .. payload];

    private static byte[] Ipv6(byte next, byte[] payload) =>
        [0x60, 0, 0, 0, .. BigEndian((ushort)payload.Length), next, 64, .. Address(1), .. Address(2)];

    private static byte[] Address(byte last) => [0xfd, 0, .. new byte[13], last];

    /// <summary>An IPv6 extension header of (length + 1) * 8 bytes.</summary>
    private static byte[] Extension(byte next, byte length, byte[] payload) => [next, length, .. new byte[(length + 1) * 8 - 2], .. payload];

    private static byte[] Tcp(bool syn, byte[] options) =>
        [0x30, 0x39, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, (byte)((5 + options.Length / 4) << 4), (byte)(syn ? 0x02 : 0x10), 0xff, 0xff, 0, 0, 0, 0, .. options];

    private static byte[] Udp(ushort source, ushort destination) => [.. BigEndian(source), .. BigEndian(destination), 0, 12, 0, 0, 1, 2, 3, 4];

    /// <summary>ok_state_machine's <c>struct msg</c>: kind, conn, signed delta, signed seq, len (host order).</summary>
    private static byte[] Messages(params (byte Kind, byte Conn, short Delta, int Seq, uint Length)[] messages) =>
        [.. messages.SelectMany(m => (byte[])[m.Kind, m.Conn, .. BitConverter.GetBytes(m.Delta), .. BitConverter.GetBytes(m.Seq), .. BitConverter.GetBytes(m.Length)])];

    private static byte[] BigEndian(ushort value) => [(byte)(value >> 8), (byte)value];
}

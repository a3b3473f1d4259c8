using System.Buffers.Binary;

namespace SharpBpf.Tests.Differential;

/// <summary>Ethernet + IPv4 + UDP packets for the real-world differential tests.</summary>
internal static class RealWorldPackets
{
    public static byte[] Udp(byte a, byte b, byte c, byte d, byte firstIpByte = 0x45)
    {
        var packet = new byte[14 + 20 + 8 + 8];
        byte[] mac = [0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2];
        mac.CopyTo(packet, 0);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(12), 0x0800);
        packet[14] = firstIpByte;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(16), 20 + 8 + 8);
        packet[22] = 64;
        packet[23] = 17;
        packet[26] = a;
        packet[27] = b;
        packet[28] = c;
        packet[29] = d;
        byte[] destination = [10, 0, 0, 1];
        destination.CopyTo(packet, 30);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(34), 40000);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(36), 53);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(38), 16);
        "payload!"u8.CopyTo(packet.AsSpan(42));
        return packet;
    }

    /// <summary>An LPM trie key { u32 prefixlen; u8 addr[4]; } for an IPv4 prefix.</summary>
    public static byte[] Prefix(uint length, byte a, byte b, byte c, byte d)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(key, length);
        key[4] = a;
        key[5] = b;
        key[6] = c;
        key[7] = d;
        return key;
    }

    public static byte[] U32(uint value) => BitConverter.GetBytes(value);
}

using System.Buffers.Binary;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// A flow hash over an IP packet's addresses, protocol and ports (what bpf_get_hash_recalc computes when no hash is
/// set). Linux keys its hash with a secret chosen at boot, so only its properties carry over: the same flow gives
/// the same non-zero value, other flows almost always another.
/// </summary>
internal static class FlowHash
{
    public static uint Of(ReadOnlySpan<byte> network, ushort etherType)
    {
        var hash = new HashCode();
        int transport;
        byte protocol;
        switch (etherType)
        {
            case SkbAccess.EtherTypeIpv4 when network.Length >= 20:
                hash.AddBytes(network.Slice(12, 8));
                protocol = network[9];
                transport = (network[0] & 0xf) * 4;
                break;
            case SkbAccess.EtherTypeIpv6 when network.Length >= 40:
                hash.AddBytes(network.Slice(8, 32));
                protocol = network[6];
                transport = 40;
                break;
            default:
                return 0;
        }

        hash.Add(protocol);
        if (protocol is 6 or 17 or 132 && network.Length >= transport + 4)
        {
            hash.Add(BinaryPrimitives.ReadUInt32LittleEndian(network[transport..]));
        }

        var value = (uint)hash.ToHashCode();
        return value == 0 ? 1 : value;
    }
}

using System.Buffers.Binary;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// The skb helpers that read or set skb metadata rather than move the packet: hash (bpf_set_hash, get_hash_recalc,
/// set_hash_invalid), packet type, delivery time, ECN, cgroup and socket identities, classid/realm, and
/// bpf_skb_load_bytes_relative. Values are what a Linux 6.18 test run gives: its skb has a fresh dummy socket owned by
/// uid 0 in the host's cgroup, no dst (realm 0), no net_cls classid.
/// </summary>
internal sealed class SkbFieldHelpers(HelperEnvironment environment)
{
    private const int PacketOtherHost = 3;
    private const ulong TstampUnspec = 0, TstampDeliveryMono = 1, TstampDeliveryTai = 2;
    private const ulong StartMac = 0, StartNet = 1;

    // Each test run allocates a new socket, and the kernel gives every socket the next cookie.
    private static long s_lastSocketCookie;

    public ulong SetHash(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_set_hash");
        SkbAccess.WriteField(skb, SkbAccess.Hash, (uint)r2);
        skb.State.SoftwareHash = true;
        return 0;
    }

    public ulong SetHashInvalid(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_set_hash_invalid");
        SkbAccess.WriteField(skb, SkbAccess.Hash, 0);
        skb.State.SoftwareHash = false;
        return 0;
    }

    /// <summary>
    /// The hash already set, else a flow hash of the addresses, protocol and ports. The kernel keys its flow hash with
    /// a random per-boot secret, so no two machines agree on the value; SharpBpf's is stable per process.
    /// </summary>
    public ulong GetHashRecalc(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_get_hash_recalc");
        var hash = SkbAccess.ReadField(skb, SkbAccess.Hash);
        if (hash != 0 && skb.State.SoftwareHash) return hash;
        hash = FlowHash.Of(SkbAccess.Bytes(skb)[SkbAccess.NetworkOffset(skb)..], SkbAccess.ProtocolOf(skb));
        SkbAccess.WriteField(skb, SkbAccess.Hash, hash);
        return hash;
    }

    /// <summary>(skb, type): both the current and the new type must be host, broadcast, multicast or other-host.</summary>
    public ulong ChangeType(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_skb_change_type");
        if (SkbAccess.ReadField(skb, SkbAccess.PacketType) > PacketOtherHost || (uint)r2 > PacketOtherHost) return HelperErrors.Einval;
        SkbAccess.WriteField(skb, SkbAccess.PacketType, (uint)r2);
        return 0;
    }

    /// <summary>(skb, tstamp, type): UNSPEC needs tstamp 0; DELIVERY_MONO and TAI set both fields.</summary>
    public ulong SetTstamp(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_skb_set_tstamp");
        switch (r3)
        {
            case TstampUnspec when r2 != 0:
                return HelperErrors.Einval;
            case TstampUnspec or TstampDeliveryMono or TstampDeliveryTai:
                BinaryPrimitives.WriteUInt64LittleEndian(skb.Fields[SkbAccess.Tstamp..], r2);
                skb.Fields[SkbAccess.TstampType] = (byte)r3;
                return 0;
            default:
                return HelperErrors.Einval;
        }
    }

    /// <summary>
    /// Sets ECN Congestion Experienced on an ECN-capable IPv4/IPv6 packet (fixing the IPv4 header checksum): 1 when
    /// the packet is (now) CE, 0 when it is not ECN-capable or not IP.
    /// </summary>
    public ulong EcnSetCe(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_skb_ecn_set_ce");
        var network = SkbAccess.Bytes(skb)[SkbAccess.NetworkOffset(skb)..];
        switch (SkbAccess.ProtocolOf(skb))
        {
            case SkbAccess.EtherTypeIpv4 when network.Length >= 20:
            {
                var ecn = (network[1] + 1) & 3;
                if ((ecn & 2) == 0) return ecn == 0 ? 1UL : 0UL;
                // The kernel's incremental update for the TOS byte moving to CE (RFC 1624, on the raw little-endian word).
                uint check = BinaryPrimitives.ReadUInt16LittleEndian(network[10..]);
                check += BinaryPrimitives.ReverseEndianness((ushort)0xfffb) + (uint)BinaryPrimitives.ReverseEndianness((ushort)ecn);
                BinaryPrimitives.WriteUInt16LittleEndian(network[10..], (ushort)(check + (check >= 0xffff ? 1u : 0u)));
                network[1] |= 3;
                return 1;
            }
            case SkbAccess.EtherTypeIpv6 when network.Length >= 40:
            {
                var trafficClass = (byte)(((network[0] & 0xf) << 4) | (network[1] >> 4));
                if ((trafficClass & 3) == 0) return 0;
                network[1] |= 3 << 4;
                return 1;
            }
            default:
                return 0;
        }
    }

    public ulong SkbCgroupId(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        _ = SkbAccess.Skb(context, "bpf_skb_cgroup_id");
        return environment.Network.CgroupId;
    }

    /// <summary>Level 0 is the root cgroup (id 1); the socket's own cgroup answers its own level; deeper levels 0.</summary>
    public ulong SkbAncestorCgroupId(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        _ = SkbAccess.Skb(context, "bpf_skb_ancestor_cgroup_id");
        if ((int)r2 == 0) return 1;
        return environment.Network.CgroupId == 1 ? 0 : environment.Network.CgroupId;
    }

    /// <summary>A new, non-zero cookie for each run's socket, the same within a run.</summary>
    public ulong GetSocketCookie(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_get_socket_cookie");
        if (skb.State.SocketCookie == 0) skb.State.SocketCookie = (ulong)Interlocked.Increment(ref s_lastSocketCookie);
        return skb.State.SocketCookie;
    }

    public ulong GetNetnsCookie(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        environment.Network.NetnsCookie;

    /// <summary>bpf_get_socket_uid, bpf_get_cgroup_classid, bpf_skb_cgroup_classid, bpf_get_route_realm: a test run's skb answers 0.</summary>
    public static ulong Zero(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        _ = SkbAccess.Skb(context, "skb helper");
        return 0;
    }

    /// <summary>(skb, offset, to, len, start_header): from the MAC or network header; on failure the buffer is zeroed and -EFAULT returned.</summary>
    public static unsafe ulong LoadBytesRelative(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_skb_load_bytes_relative");
        var buffer = context.GetMemory(r3, (uint)r4, MemoryAccess.Write);
        var macHeader = skb.Data - (skb.Kind == PacketContextKind.SocketFilter ? SkbAccess.EthernetHeaderLength : 0);
        nint start = r5 switch
        {
            StartMac => macHeader,
            StartNet => macHeader + SkbAccess.EthernetHeaderLength,
            _ => 0,
        };
        var offset = (uint)r2;
        if (start == 0 || offset > 0xffff || start + offset + buffer.Length > skb.DataEnd)
        {
            buffer.Clear();
            return HelperErrors.Efault;
        }

        new ReadOnlySpan<byte>((void*)(start + (nint)offset), buffer.Length).CopyTo(buffer);
        return 0;
    }
}

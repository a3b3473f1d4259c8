using System.Buffers.Binary;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// bpf_skb_set/get_tunnel_key and bpf_skb_set/get_tunnel_opt on a test-run skb, as Linux 6.18 answers them (measured):
/// without metadata get_tunnel_key is -EINVAL and get_tunnel_opt -ENOENT (buffers zeroed); the metadata set is
/// transmit metadata, so reading it back gives the local address as remote and the remote as local; asking for
/// the other address family is -EPROTO; options are whole 32-bit words.
/// </summary>
internal static class TunnelHelpers
{
    /// <summary>sizeof(struct bpf_tunnel_key), and the shorter sizes older programs pass (before tunnel_label, before local_ipv4).</summary>
    private const int KeySize = 44, KeySizeBeforeLabel = 24, KeySizeBeforeLocal = 28;
    private const int TosAt = 20, TtlAt = 21, FlagsAt = 22, LabelAt = 24, LocalAt = 28, RemoteAt = 4;
    private const ulong TunInfoIpv6 = 1, ZeroChecksumTx = 1 << 1, DontFragment = 1 << 2, SequenceNumber = 1 << 3, NoTunnelKey = 1 << 4;
    private const ulong TunInfoFlags = 1 << 4;
    private const int MaxOptionsLength = 255;

    // The kernel's tunnel flag bits as bpf_tunnel_key.tunnel_flags reports them (TUNNEL_CSUM, _KEY, _SEQ, _DONT_FRAGMENT).
    private const ushort FlagChecksum = 0x01, FlagKey = 0x04, FlagSequence = 0x08, FlagDontFragment = 0x0100;

    public static ulong GetKey(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_skb_get_tunnel_key");
        var key = context.GetMemory(r2, (uint)r3, MemoryAccess.Write);
        var error = FillKey(skb.State.Tunnel, key, r4);
        if (error != 0) key.Clear();
        return error;
    }

    private static ulong FillKey(TunnelMetadata? tunnel, Span<byte> key, ulong flags)
    {
        if ((flags & ~(TunInfoIpv6 | TunInfoFlags)) != 0 || tunnel is null) return HelperErrors.Einval;
        var ipv6 = (flags & TunInfoIpv6) != 0;
        // Measured: the family mismatch is found before a wrong size.
        if (ipv6 != tunnel.IsIpv6) return HelperErrors.Result(Maps.Errno.EPROTO);
        if (key.Length != KeySize && (ipv6 || key.Length is not (KeySizeBeforeLabel or KeySizeBeforeLocal)))
        {
            return HelperErrors.Einval;
        }
        Span<byte> full = stackalloc byte[KeySize];
        full.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(full, tunnel.TunnelId);
        // Transmit metadata holds the program's remote as the destination; the getter reads the source as "remote".
        tunnel.Local.CopyTo(full[RemoteAt..]);
        full[TosAt] = tunnel.Tos;
        full[TtlAt] = tunnel.Ttl;
        if ((flags & TunInfoFlags) != 0) BinaryPrimitives.WriteUInt16BigEndian(full[FlagsAt..], tunnel.Flags);
        if (tunnel.IsIpv6) BinaryPrimitives.WriteUInt32LittleEndian(full[LabelAt..], tunnel.Label);
        tunnel.Remote.CopyTo(full[LocalAt..]);
        full[..key.Length].CopyTo(key);
        return 0;
    }

    public static ulong SetKey(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_skb_set_tunnel_key");
        var given = context.GetMemory(r2, (uint)r3, MemoryAccess.Read);
        if ((r4 & ~(TunInfoIpv6 | ZeroChecksumTx | DontFragment | SequenceNumber | NoTunnelKey)) != 0) return HelperErrors.Einval;
        var ipv6 = (r4 & TunInfoIpv6) != 0;
        if (given.Length != KeySize && (ipv6 || given.Length is not (KeySizeBeforeLabel or KeySizeBeforeLocal))) return HelperErrors.Einval;
        Span<byte> key = stackalloc byte[KeySize];
        key.Clear();
        given.CopyTo(key);
        var label = BinaryPrimitives.ReadUInt32LittleEndian(key[LabelAt..]);
        if ((!ipv6 && label != 0) || BinaryPrimitives.ReadUInt16LittleEndian(key[FlagsAt..]) != 0) return HelperErrors.Einval;
        var addressLength = ipv6 ? 16 : 4;
        var flags = (ushort)((r4 & NoTunnelKey) != 0 ? 0 : FlagKey);
        if ((r4 & ZeroChecksumTx) == 0) flags |= FlagChecksum;
        if ((r4 & DontFragment) != 0) flags |= FlagDontFragment;
        if ((r4 & SequenceNumber) != 0) flags |= FlagSequence;
        skb.State.Tunnel = new TunnelMetadata
        {
            IsIpv6 = ipv6,
            TunnelId = BinaryPrimitives.ReadUInt32LittleEndian(key),
            Remote = key.Slice(RemoteAt, addressLength).ToArray(),
            Local = key.Slice(LocalAt, addressLength).ToArray(),
            Tos = key[TosAt],
            Ttl = key[TtlAt],
            Label = ipv6 ? label & 0xfffff : 0,
            Flags = flags,
        };
        return 0;
    }

    /// <summary>(skb, opt, size): the options' length, the rest of the buffer zeroed; -ENOENT without options, -ENOMEM when they do not fit.</summary>
    public static ulong GetOptions(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_skb_get_tunnel_opt");
        var buffer = context.GetMemory(r2, (uint)r3, MemoryAccess.Write);
        var options = skb.State.Tunnel?.Options ?? [];
        if (options.Length == 0)
        {
            buffer.Clear();
            return HelperErrors.Enoent;
        }

        if (buffer.Length < options.Length)
        {
            buffer.Clear();
            return HelperErrors.Result(Maps.Errno.ENOMEM);
        }

        options.CopyTo(buffer);
        buffer[options.Length..].Clear();
        return (ulong)options.Length;
    }

    /// <summary>(skb, opt, size): needs tunnel metadata set first; whole words, at most 255 bytes.</summary>
    public static ulong SetOptions(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_skb_set_tunnel_opt");
        var options = context.GetMemory(r2, (uint)r3, MemoryAccess.Read);
        if (skb.State.Tunnel is not { } tunnel) return HelperErrors.Einval;
        if (options.Length > MaxOptionsLength) return HelperErrors.Result(Maps.Errno.ENOMEM);
        if (options.Length % 4 != 0) return HelperErrors.Einval;
        tunnel.Options = options.ToArray();
        return 0;
    }
}

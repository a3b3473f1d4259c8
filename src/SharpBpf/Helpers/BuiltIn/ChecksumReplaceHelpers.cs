using System.Buffers.Binary;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// bpf_l3_csum_replace, bpf_l4_csum_replace, bpf_csum_update and bpf_csum_level on a test-run skb. A test run's skb
/// is CHECKSUM_NONE, so the L4 helpers always rewrite the checksum field (pseudo-header or not), bpf_csum_update
/// has no skb->csum to update (-ENOTSUPP), and csum_level moves between NONE and UNNECESSARY. The arithmetic is the
/// kernel's ones'-complement update on the bytes as they lie in memory (little-endian loads on x86-64), so results
/// match bit for bit, including the 0x0000/0xffff forms.
/// </summary>
internal static class ChecksumReplaceHelpers
{
    private const ulong FieldSizeMask = 0xf, PseudoHeader = 1 << 4, MarkMangled0 = 1 << 5, MarkEnforce = 1 << 6, Ipv6 = 1 << 7;
    private const ushort Mangled0 = 0xffff;
    private const ulong LevelQuery = 0, LevelIncrement = 1, LevelDecrement = 2, LevelReset = 3;
    private const int MaxChecksumLevel = 3;

    /// <summary>(skb, offset, from, to, flags): flags carry only the field size (0, 2 or 4).</summary>
    public static ulong L3Replace(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_l3_csum_replace");
        if ((r5 & ~FieldSizeMask) != 0) return HelperErrors.Einval;
        if (!TryField(skb, r2, out var field)) return HelperErrors.Efault;
        var sum = BinaryPrimitives.ReadUInt16LittleEndian(field);
        switch (r5 & FieldSizeMask)
        {
            case 0:
                if (r3 != 0) return HelperErrors.Einval;
                sum = Fold(Add((uint)r4, ~(uint)sum));
                break;
            case 2:
                sum = (ushort)~Add16(Add16((ushort)~sum, (ushort)~(ushort)r3), (ushort)r4);
                break;
            case 4:
                sum = Fold(Add(Add(~(uint)sum, ~(uint)r3), (uint)r4));
                break;
            default:
                return HelperErrors.Einval;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(field, sum);
        return 0;
    }

    /// <summary>(skb, offset, from, to, flags): size in the low bits, BPF_F_PSEUDO_HDR, BPF_F_MARK_MANGLED_0, BPF_F_MARK_ENFORCE, BPF_F_IPV6.</summary>
    public static ulong L4Replace(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Skb(context, "bpf_l4_csum_replace");
        if ((r5 & ~(FieldSizeMask | PseudoHeader | MarkMangled0 | MarkEnforce | Ipv6)) != 0) return HelperErrors.Einval;
        if (!TryField(skb, r2, out var field)) return HelperErrors.Efault;
        var sum = BinaryPrimitives.ReadUInt16LittleEndian(field);
        var markMangled = (r5 & MarkMangled0) != 0;
        // A zero UDP checksum means "none": with MARK_MANGLED_0 it stays untouched unless enforced.
        if (markMangled && (r5 & MarkEnforce) == 0 && sum == 0) return 0;
        switch (r5 & FieldSizeMask)
        {
            case 0:
                if (r3 != 0) return HelperErrors.Einval;
                sum = Fold(Add((uint)r4, ~(uint)sum));
                break;
            case 2:
                sum = Fold(Add(Add(~(uint)sum, ~(uint)(ushort)r3), (uint)(ushort)r4));
                break;
            case 4:
                sum = Fold(Add(Add(~(uint)sum, ~(uint)r3), (uint)r4));
                break;
            default:
                return HelperErrors.Einval;
        }

        if (markMangled && sum == 0) sum = Mangled0;
        BinaryPrimitives.WriteUInt16LittleEndian(field, sum);
        return 0;
    }

    /// <summary>A test-run skb has no CHECKSUM_COMPLETE sum to add to.</summary>
    public static ulong CsumUpdate(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        _ = SkbAccess.Skb(context, "bpf_csum_update");
        return HelperErrors.Enotsupp;
    }

    /// <summary>(skb, level): query gives the level under CHECKSUM_UNNECESSARY (-EACCES otherwise); inc/dec/reset move it.</summary>
    public static ulong CsumLevel(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var state = SkbAccess.Skb(context, "bpf_csum_level").State;
        switch (r2)
        {
            case LevelQuery:
                return state.ChecksumUnnecessaryLevel is { } level ? (ulong)level : HelperErrors.Eacces;
            case LevelIncrement:
                state.ChecksumUnnecessaryLevel = state.ChecksumUnnecessaryLevel is { } up ? Math.Min(up + 1, MaxChecksumLevel) : 0;
                return 0;
            case LevelDecrement:
                state.ChecksumUnnecessaryLevel = state.ChecksumUnnecessaryLevel is > 0 and var down ? down - 1 : null;
                return 0;
            case LevelReset:
                state.ChecksumUnnecessaryLevel = null;
                return 0;
            default:
                return HelperErrors.Einval;
        }
    }

    private static bool TryField(ISkbContext skb, ulong offset, out Span<byte> field)
    {
        field = default;
        if (offset > 0xffff || !SkbAccess.Writable(skb, offset + 2)) return false;
        field = SkbAccess.Bytes(skb).Slice((int)offset, 2);
        return true;
    }

    /// <summary>csum_add: 32-bit ones'-complement addition.</summary>
    private static uint Add(uint a, uint b)
    {
        var sum = (ulong)a + b;
        return (uint)sum + (uint)(sum >> 32);
    }

    private static ushort Add16(ushort a, ushort b)
    {
        var sum = (uint)a + b;
        return (ushort)(sum + (sum >> 16));
    }

    /// <summary>csum_fold: the 32-bit sum to 16 bits, complemented.</summary>
    private static ushort Fold(uint sum)
    {
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;

namespace SharpBpf.Btf;

/// <summary>
/// Turns the bytes of a value of a BTF type into one line a person reads: structs as <c>{name=value, …}</c>, arrays
/// as <c>[…]</c>, enums by name, char arrays as strings, DATASEC as its variables. Network-order fields print as what
/// they mean where their types say so: a <c>__be16</c> as its host-order number (a port), a <c>__be32</c> whose
/// member is named like an address (saddr, daddr, addr, ip…) as a dotted IPv4 address, a 16-byte array or
/// <c>struct in6_addr</c> named like an address as IPv6. Special fields (<c>bpf_timer</c>, <c>bpf_spin_lock</c>)
/// print as their kind: user space reads their bytes as zero.
/// </summary>
public static class BtfDisplayFormatter
{
    /// <summary>Formats <paramref name="data"/> as a value of type <paramref name="typeId"/> the way <c>bpftool map dump</c> does (see the class remarks).</summary>
    /// <exception cref="ArgumentException"><paramref name="data"/> is shorter than the type.</exception>
    public static string Format(BtfSpec spec, uint typeId, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.TrySizeOf(typeId, out var size) && data.Length < size)
            throw new ArgumentException($"{data.Length} bytes are fewer than the {size} bytes of {spec.TypeName(typeId)}", nameof(data));
        var text = new StringBuilder();
        var budget = BtfValueFormatter.MaxValues;
        Write(text, spec, typeId, data, "", ref budget);
        return text.ToString();
    }

    /// <summary>
    /// A map key or value for people whatever the object carries: as its BTF type where there is one (type id not 0),
    /// a 4-byte value without a type as the number it is (an array index, a legacy map's counter), anything else —
    /// or bytes the type does not lay over — as lowercase hex.
    /// </summary>
    public static string FormatOrHex(BtfSpec? spec, uint typeId, ReadOnlySpan<byte> data)
    {
        if (typeId == 0 || spec is null)
        {
            return data.Length == 4
                ? BinaryPrimitives.ReadUInt32LittleEndian(data).ToString(CultureInfo.InvariantCulture)
                : Convert.ToHexStringLower(data);
        }

        try
        {
            return Format(spec, typeId, data);
        }
        catch (ArgumentException)
        {
            return Convert.ToHexStringLower(data);
        }
    }

    private static void Write(StringBuilder text, BtfSpec spec, uint typeId, ReadOnlySpan<byte> data, string memberName, ref int budget)
    {
        if (--budget < 0)
        {
            text.Append('…');
            return;
        }

        if (BtfNetworkOrder.TypedefName(spec, typeId) is { } networkType && TryWriteNetworkOrder(text, networkType, memberName, data))
            return;
        var type = spec.SkipQualifiersAndTypedefs(typeId);
        if (type is BtfStruct { Name: "bpf_timer" or "bpf_spin_lock" or "bpf_wq" or "bpf_list_head" or "bpf_rb_root" or "bpf_refcount" } special)
        {
            text.Append('<').Append(special.Name).Append('>');
            return;
        }

        switch (type)
        {
            case BtfInt integer:
                WriteInt(text, integer, BtfValueFormatter.ReadBits(data, integer.BitOffset, integer.Bits), integer.Bits);
                break;
            case BtfPointer:
                text.Append("0x").Append(BinaryPrimitives.ReadUInt64LittleEndian(data).ToString("x", CultureInfo.InvariantCulture));
                break;
            case BtfEnum enumeration:
                WriteEnum(text, enumeration, BtfValueFormatter.ReadInteger(data, (int)enumeration.Size, enumeration.IsSigned));
                break;
            case BtfFloat { Size: 4 }:
                text.Append(BinaryPrimitives.ReadSingleLittleEndian(data).ToString(CultureInfo.InvariantCulture));
                break;
            case BtfFloat { Size: 8 }:
                text.Append(BinaryPrimitives.ReadDoubleLittleEndian(data).ToString(CultureInfo.InvariantCulture));
                break;
            case BtfArray array when IsAddressName(memberName) && array.Count == 16 && spec.TrySizeOf(array.ElementTypeId, out var one) && one == 1:
                text.Append(new IPAddress(data[..16]).ToString());
                break;
            case BtfArray array when BtfValueFormatter.TryReadString(spec, array, data, out var str):
                text.Append('"').Append(str).Append('"');
                break;
            case BtfArray array:
                WriteArray(text, spec, array, data, memberName, ref budget);
                break;
            case BtfStruct { Name: "in6_addr", Size: 16 }:
                text.Append(new IPAddress(data[..16]).ToString());
                break;
            case BtfComposite composite:
                WriteComposite(text, spec, composite, data, ref budget);
                break;
            case BtfVariable variable:
                text.Append(variable.Name).Append('=');
                Write(text, spec, variable.TypeId, data, variable.Name, ref budget);
                break;
            case BtfDataSection section:
                text.Append('{');
                var first = true;
                foreach (var entry in section.Variables)
                {
                    if (!first) text.Append(", ");
                    first = false;
                    var fits = spec.TrySizeOf(entry.TypeId, out var varSize) && entry.Offset + varSize <= data.Length;
                    if (fits) Write(text, spec, entry.TypeId, data[(int)entry.Offset..], "", ref budget);
                    else text.Append('?');
                }

                text.Append('}');
                break;
            default:
                text.Append('?');
                break;
        }
    }

    private static void WriteInt(StringBuilder text, BtfInt integer, UInt128 raw, int bits)
    {
        if (integer.IsBool)
            text.Append(raw != 0 ? "true" : "false");
        else if (integer.IsChar && raw >= 0x20 && raw < 0x7f)
            text.Append('\'').Append((char)(byte)raw).Append('\'');
        else if (integer.IsSigned)
            text.Append(BtfValueFormatter.SignExtend(raw, bits).ToString(CultureInfo.InvariantCulture));
        else
            text.Append(raw.ToString(CultureInfo.InvariantCulture));
    }

    private static void WriteEnum(StringBuilder text, BtfEnum enumeration, long value)
    {
        foreach (var candidate in enumeration.Values)
        {
            if (candidate.Value == value)
            {
                text.Append(candidate.Name);
                return;
            }
        }

        text.Append(enumeration.IsSigned ? value.ToString(CultureInfo.InvariantCulture) : ((ulong)value).ToString(CultureInfo.InvariantCulture));
    }

    private static void WriteArray(StringBuilder text, BtfSpec spec, BtfArray array, ReadOnlySpan<byte> data, string memberName, ref int budget)
    {
        text.Append('[');
        long elementSize = spec.TrySizeOf(array.ElementTypeId, out var s) ? s : 0;
        for (uint i = 0; i < array.Count; i++)
        {
            if (i > 0) text.Append(", ");
            if (elementSize == 0) text.Append('?');
            else Write(text, spec, array.ElementTypeId, data[(int)(i * elementSize)..], memberName, ref budget);
        }

        text.Append(']');
    }

    private static void WriteComposite(StringBuilder text, BtfSpec spec, BtfComposite composite, ReadOnlySpan<byte> data, ref int budget)
    {
        text.Append('{');
        var first = true;
        foreach (var member in composite.Members)
        {
            if (!first) text.Append(", ");
            first = false;
            // An anonymous struct or union member shows its members in place, as C lets code name them.
            if (member.Name.Length > 0) text.Append(member.Name).Append('=');
            if (member.IsBitfield)
            {
                var raw = BtfValueFormatter.ReadBits(data, member.BitOffset, member.BitfieldSize);
                switch (spec.SkipQualifiersAndTypedefs(member.TypeId))
                {
                    case BtfInt integer:
                        WriteInt(text, integer, raw, member.BitfieldSize);
                        break;
                    case BtfEnum enumeration:
                        WriteEnum(text, enumeration, enumeration.IsSigned ? (long)BtfValueFormatter.SignExtend(raw, member.BitfieldSize) : (long)(ulong)raw);
                        break;
                    default:
                        text.Append(raw.ToString(CultureInfo.InvariantCulture));
                        break;
                }
            }
            else
            {
                Write(text, spec, member.TypeId, data[(int)(member.BitOffset / 8)..], member.Name, ref budget);
            }
        }

        text.Append('}');
    }

    private static bool TryWriteNetworkOrder(StringBuilder text, string type, string memberName, ReadOnlySpan<byte> data)
    {
        switch (type)
        {
            case "__be16" when data.Length >= 2:
                text.Append(BinaryPrimitives.ReadUInt16BigEndian(data).ToString(CultureInfo.InvariantCulture));
                return true;
            case "__be32" when data.Length >= 4 && IsAddressName(memberName):
                text.Append(new IPAddress(data[..4]).ToString());
                return true;
            case "__be32" when data.Length >= 4:
                text.Append(BinaryPrimitives.ReadUInt32BigEndian(data).ToString(CultureInfo.InvariantCulture));
                return true;
            case "__be64" when data.Length >= 8:
                text.Append(BinaryPrimitives.ReadUInt64BigEndian(data).ToString(CultureInfo.InvariantCulture));
                return true;
            default:
                return false;
        }
    }

    /// <summary>Member names that hold an address: saddr, daddr, src_addr, dst_ip, addr, ip, ipv4, ip6, nexthop…</summary>
    private static bool IsAddressName(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower.Contains("addr", StringComparison.Ordinal) || lower is "ip" or "src" or "dst" or "ipv4" or "ipv6" or "ip4" or "ip6" or "nexthop" or "gateway"
            || lower.EndsWith("_ip", StringComparison.Ordinal) || lower.StartsWith("ip_", StringComparison.Ordinal)
            || lower.EndsWith("_ip4", StringComparison.Ordinal) || lower.EndsWith("_ip6", StringComparison.Ordinal);
    }
}

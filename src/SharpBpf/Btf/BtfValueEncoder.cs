using System.Buffers.Binary;
using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;

namespace SharpBpf.Btf;

/// <summary>
/// Builds the bytes of a value of a BTF type from what a person writes: an anonymous object or a dictionary naming
/// struct members (members left out are zero), numbers for integers, enumerator names or numbers for enums, arrays
/// for arrays, strings for char arrays, dotted or colon text (or <see cref="IPAddress"/>) for addresses, and
/// host-order numbers for <c>__be16</c>/<c>__be32</c> fields, which it stores in network order, as C code that
/// writes <c>bpf_htons(53)</c> does. A member name the type does not have is an error naming the members it has.
/// The inverse of <see cref="BtfDisplayFormatter"/>.
/// </summary>
public static class BtfValueEncoder
{
    /// <summary>The bytes of <paramref name="value"/> as a value of type <paramref name="typeId"/> (see the class remarks for what a value may be).</summary>
    /// <exception cref="ArgumentException">The value does not fit the type; the message names the member path.</exception>
    public static byte[] Encode(BtfSpec spec, uint typeId, object? value)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!spec.TrySizeOf(typeId, out var size)) throw new ArgumentException($"{spec.TypeName(typeId)} has no size", nameof(typeId));
        var bytes = new byte[size];
        Write(spec, typeId, value, bytes, spec.TypeName(typeId));
        return bytes;
    }

    /// <summary>Writes <paramref name="value"/> into <paramref name="destination"/>, which is at least the type's size.</summary>
    public static void Write(BtfSpec spec, uint typeId, object? value, Span<byte> destination, string path)
    {
        if (value is null) return;
        if (BtfNetworkOrder.TypedefName(spec, typeId) is { } networkType)
        {
            WriteNetworkOrder(networkType, value, destination, path);
            return;
        }

        switch (spec.SkipQualifiersAndTypedefs(typeId))
        {
            case BtfInt integer:
                WriteInteger(destination, (int)integer.Size, ToInteger(value, path, integer.IsSigned));
                break;
            case BtfEnum enumeration:
                WriteInteger(destination, (int)enumeration.Size, value is string enumerator
                    ? enumeration.Values.FirstOrDefault(v => v.Name == enumerator)?.Value
                      ?? throw new ArgumentException($"{path}: {enumeration.Name} has no enumerator {enumerator} (it has {string.Join(", ", enumeration.Values.Select(v => v.Name))})")
                    : (Int128)ToInteger(value, path, enumeration.IsSigned));
                break;
            case BtfPointer:
                WriteInteger(destination, 8, ToInteger(value, path, false));
                break;
            case BtfFloat { Size: 4 }:
                BinaryPrimitives.WriteSingleLittleEndian(destination, Convert.ToSingle(value, CultureInfo.InvariantCulture));
                break;
            case BtfFloat { Size: 8 }:
                BinaryPrimitives.WriteDoubleLittleEndian(destination, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case BtfStruct { Name: "in6_addr", Size: 16 }:
                Address(value, path, 16).CopyTo(destination);
                break;
            case BtfArray array:
                WriteArray(spec, array, value, destination, path);
                break;
            case BtfComposite composite:
                WriteComposite(spec, composite, value, destination, path);
                break;
            case BtfDataSection section:
                foreach (var (name, member) in Members(value, path))
                {
                    var variable = section.Variables.Select(v => (Info: v, Type: spec[v.TypeId] as BtfVariable))
                        .FirstOrDefault(v => v.Type?.Name == name);
                    if (variable.Type is null)
                    {
                        throw new ArgumentException($"{path}: {section.Name} has no variable {name} (it has {string.Join(", ", section.Variables.Select(v => (spec[v.TypeId] as BtfVariable)?.Name))})");
                    }

                    Write(spec, variable.Type.TypeId, member, destination[(int)variable.Info.Offset..], $"{path}.{name}");
                }

                break;
            default:
                throw new ArgumentException($"{path}: values of {spec.TypeName(typeId)} cannot be written");
        }
    }

    private static void WriteComposite(BtfSpec spec, BtfComposite composite, object value, Span<byte> destination, string path)
    {
        foreach (var (name, member) in Members(value, path))
        {
            var field = FindMember(spec, composite, name);
            if (field is null)
            {
                throw new ArgumentException($"{path}: {spec.TypeName(composite.Id)} has no member {name} (it has {string.Join(", ", composite.Members.Select(m => m.Name).Where(n => n.Length > 0))})");
            }

            var (declared, bitOffset) = field.Value;
            if (declared.IsBitfield)
            {
                if (member is null) continue;
                var bits = ToInteger(member, $"{path}.{name}", false);
                for (var bit = 0; bit < declared.BitfieldSize; bit++)
                {
                    var at = (int)(bitOffset + (uint)bit);
                    if (((bits >> bit) & 1) != 0) destination[at / 8] |= (byte)(1 << (at % 8));
                    else destination[at / 8] &= (byte)~(1 << (at % 8));
                }

                continue;
            }

            Write(spec, declared.TypeId, member, destination[(int)(bitOffset / 8)..], $"{path}.{name}");
        }
    }

    /// <summary>A member by name, looking into anonymous struct/union members as C does; its bit offset from the outer type.</summary>
    internal static (BtfMember Member, uint BitOffset)? FindMember(BtfSpec spec, BtfComposite composite, string name)
    {
        foreach (var member in composite.Members)
        {
            if (member.Name == name) return (member, member.BitOffset);
            if (member.Name.Length == 0 && spec.SkipQualifiersAndTypedefs(member.TypeId) is BtfComposite inner
                && FindMember(spec, inner, name) is { } nested)
            {
                return (nested.Member, member.BitOffset + nested.BitOffset);
            }
        }

        return null;
    }

    private static void WriteArray(BtfSpec spec, BtfArray array, object value, Span<byte> destination, string path)
    {
        var elementSize = spec.TrySizeOf(array.ElementTypeId, out var s) ? (int)s : 0;
        if (value is string text && elementSize == 1 && spec.SkipQualifiersAndTypedefs(array.ElementTypeId) is BtfInt { IsChar: true } or BtfInt { Name: "char" })
        {
            var encoded = Encoding.UTF8.GetBytes(text);
            if (encoded.Length >= array.Count) throw new ArgumentException($"{path}: \"{text}\" and its NUL do not fit in {array.Count} chars");
            encoded.CopyTo(destination);
            return;
        }

        if ((value is string or IPAddress) && elementSize == 1 && array.Count is 4 or 16)
        {
            Address(value, path, (int)array.Count).CopyTo(destination);
            return;
        }

        if (value is not IEnumerable items) throw new ArgumentException($"{path}: an array of {array.Count} needs a list of values");
        var index = 0;
        foreach (var item in items)
        {
            if (index >= array.Count) throw new ArgumentException($"{path}: more than {array.Count} values");
            Write(spec, array.ElementTypeId, item, destination[(index * elementSize)..], $"{path}[{index}]");
            index++;
        }
    }

    private static IEnumerable<(string Name, object? Value)> Members(object value, string path)
    {
        switch (value)
        {
            case IEnumerable<KeyValuePair<string, object?>> dictionary:
                foreach (var (name, member) in dictionary) yield return (name, member);
                break;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary) yield return (entry.Key.ToString()!, entry.Value);
                break;
            case string or IEnumerable or IConvertible:
                throw new ArgumentException($"{path}: a struct needs an object naming its members, not {value}");
            default:
                foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    if (property.GetIndexParameters().Length == 0) yield return (property.Name, property.GetValue(value));
                }

                break;
        }
    }

    private static void WriteNetworkOrder(string type, object value, Span<byte> destination, string path)
    {
        switch (type)
        {
            case "__be16":
                BinaryPrimitives.WriteUInt16BigEndian(destination, checked((ushort)ToInteger(value, path, false)));
                break;
            case "__be32" when value is string or IPAddress:
                Address(value, path, 4).CopyTo(destination);
                break;
            case "__be32":
                BinaryPrimitives.WriteUInt32BigEndian(destination, checked((uint)ToInteger(value, path, false)));
                break;
            default:
                BinaryPrimitives.WriteUInt64BigEndian(destination, (ulong)ToInteger(value, path, false));
                break;
        }
    }

    private static byte[] Address(object value, string path, int length)
    {
        var address = value as IPAddress ?? (IPAddress.TryParse(value.ToString(), out var parsed) ? parsed
            : throw new ArgumentException($"{path}: '{value}' is not an IP address"));
        var bytes = address.GetAddressBytes();
        return bytes.Length == length ? bytes : throw new ArgumentException($"{path}: {address} is not a {(length == 4 ? "IPv4" : "IPv6")} address");
    }

    private static Int128 ToInteger(object value, string path, bool signed) => value switch
    {
        bool b => b ? 1 : 0,
        char c => c,
        Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture),
        ulong u => u,
        IConvertible convertible when convertible.GetTypeCode() is >= TypeCode.SByte and <= TypeCode.UInt64 =>
            Convert.ToInt64(value, CultureInfo.InvariantCulture),
        string text when long.TryParse(text, CultureInfo.InvariantCulture, out var number) => number,
        _ => throw new ArgumentException($"{path}: {value} is not an integer"),
    };

    private static void WriteInteger(Span<byte> destination, int size, Int128 value)
    {
        for (var i = 0; i < size; i++) destination[i] = (byte)(value >> (8 * i));
    }
}

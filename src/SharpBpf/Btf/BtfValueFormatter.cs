using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SharpBpf.Btf;

/// <summary>
/// Turns the bytes of a value of a BTF type into JSON the way <c>bpftool map dump -j</c> shows a "formatted"
/// value: integers as numbers (<c>bool</c> as true/false, 128-bit as a hex string), <c>char</c> arrays holding
/// a printable NUL-terminated string as a JSON string, other arrays as arrays, structs and unions as objects keyed
/// by member name, enums by enumerator name (the number when no enumerator matches), bitfields as numbers,
/// pointers as numbers, DATASEC as <c>{"name": [{"var": value}, …]}</c>.
/// Does not follow pointers or print types that have no value (void, FWD, FUNC_PROTO print as null).
/// </summary>
public static class BtfValueFormatter
{
    /// <summary>The JSON text of <paramref name="data"/> read as type <paramref name="typeId"/>.</summary>
    public static string ToJson(BtfSpec spec, uint typeId, ReadOnlySpan<byte> data, bool indented = false)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            WriteJson(writer, spec, typeId, data);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes one JSON value. <see cref="ArgumentException"/> when <paramref name="data"/> is shorter than the type.</summary>
    public static void WriteJson(Utf8JsonWriter writer, BtfSpec spec, uint typeId, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.TrySizeOf(typeId, out var size) && data.Length < size)
            throw new ArgumentException($"{data.Length} bytes are fewer than the {size} bytes of {spec.TypeName(typeId)}", nameof(data));
        t_remaining = MaxValues;
        Write(writer, spec, typeId, data);
    }

    /// <summary>Overlapping union members can make a small value print as an exponentially large document.</summary>
    public const int MaxValues = 1_000_000;

    [ThreadStatic]
    private static int t_remaining;

    private static void Write(Utf8JsonWriter writer, BtfSpec spec, uint typeId, ReadOnlySpan<byte> data)
    {
        if (--t_remaining < 0)
            Internal.BtfErrors.Throw(Internal.BtfErrors.BtfSection, spec.OffsetOf(typeId), $"a value of {spec.TypeName(typeId)} has more than {MaxValues} parts to print");
        var type = spec.SkipQualifiersAndTypedefs(typeId);
        switch (type)
        {
            case BtfInt integer:
                WriteInt(writer, integer, data);
                break;
            case BtfPointer:
                writer.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(data));
                break;
            case BtfEnum enumeration:
                WriteEnum(writer, enumeration, ReadInteger(data, (int)enumeration.Size, enumeration.IsSigned));
                break;
            case BtfFloat f when f.Size == 4:
                writer.WriteNumberValue(BinaryPrimitives.ReadSingleLittleEndian(data));
                break;
            case BtfFloat f when f.Size == 8:
                writer.WriteNumberValue(BinaryPrimitives.ReadDoubleLittleEndian(data));
                break;
            case BtfFloat f:
                writer.WriteStringValue(Hex(data[..(int)f.Size]));
                break;
            case BtfArray array:
                WriteArray(writer, spec, array, data);
                break;
            case BtfComposite composite:
                WriteComposite(writer, spec, composite, data);
                break;
            case BtfVariable variable:
                writer.WriteStartObject();
                writer.WritePropertyName(variable.Name);
                Write(writer, spec, variable.TypeId, data);
                writer.WriteEndObject();
                break;
            case BtfDataSection section:
                writer.WriteStartObject();
                writer.WriteStartArray(section.Name);
                foreach (var entry in section.Variables)
                {
                    bool fits = spec.TrySizeOf(entry.TypeId, out var varSize) && entry.Offset + varSize <= data.Length;
                    if (fits)
                        Write(writer, spec, entry.TypeId, data.Slice((int)entry.Offset));
                    else
                        writer.WriteNullValue();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static void WriteInt(Utf8JsonWriter writer, BtfInt integer, ReadOnlySpan<byte> data)
    {
        if (integer.Size == 16 && integer.BitOffset == 0 && integer.Bits == 128)
        {
            writer.WriteStringValue("0x" + BinaryPrimitives.ReadUInt128LittleEndian(data).ToString("x", CultureInfo.InvariantCulture));
            return;
        }
        UInt128 raw = ReadBits(data, integer.BitOffset, integer.Bits);
        WriteScalar(writer, integer, raw, integer.Bits);
    }

    private static void WriteScalar(Utf8JsonWriter writer, BtfInt integer, UInt128 raw, int bits)
    {
        if (integer.IsBool)
            writer.WriteBooleanValue(raw != 0);
        else if (integer.IsChar && raw >= 0x20 && raw < 0x7f)
            writer.WriteStringValue(((char)(byte)raw).ToString());
        else if (integer.IsSigned)
            writer.WriteNumberValue((long)SignExtend(raw, bits));
        else
            writer.WriteNumberValue((ulong)raw);
    }

    private static void WriteEnum(Utf8JsonWriter writer, BtfEnum enumeration, long value)
    {
        foreach (var candidate in enumeration.Values)
        {
            if (candidate.Value == value)
            {
                writer.WriteStringValue(candidate.Name);
                return;
            }
        }
        if (enumeration.IsSigned)
            writer.WriteNumberValue(value);
        else
            writer.WriteNumberValue((ulong)value);
    }

    private static void WriteArray(Utf8JsonWriter writer, BtfSpec spec, BtfArray array, ReadOnlySpan<byte> data)
    {
        if (TryReadString(spec, array, data, out var text))
        {
            writer.WriteStringValue(text);
            return;
        }
        writer.WriteStartArray();
        long elementSize = spec.TrySizeOf(array.ElementTypeId, out var s) ? s : 0;
        for (uint i = 0; i < array.Count; i++)
        {
            if (elementSize == 0)
                writer.WriteNullValue();
            else
                Write(writer, spec, array.ElementTypeId, data.Slice((int)(i * elementSize)));
        }
        writer.WriteEndArray();
    }

    /// <summary>bpftool's rule: elements are 1-byte <c>char</c> (typedefs are not followed), printable up to a NUL.</summary>
    internal static bool TryReadString(BtfSpec spec, BtfArray array, ReadOnlySpan<byte> data, out string text)
    {
        text = "";
        if (array.Count == 0 || spec.SkipQualifiers(array.ElementTypeId) is not BtfInt { Size: 1 } element)
            return false;
        if (!element.IsChar && element.Name != "char")
            return false;
        for (int i = 0; i < array.Count; i++)
        {
            byte b = data[i];
            if (b == 0)
            {
                text = Encoding.ASCII.GetString(data[..i]);
                return true;
            }
            if (b <= 0x1f || b >= 0x7f)
                return false;
        }
        return false;
    }

    private static void WriteComposite(Utf8JsonWriter writer, BtfSpec spec, BtfComposite composite, ReadOnlySpan<byte> data)
    {
        writer.WriteStartObject();
        foreach (var member in composite.Members)
        {
            writer.WritePropertyName(member.Name);
            if (member.IsBitfield)
            {
                UInt128 raw = ReadBits(data, member.BitOffset, member.BitfieldSize);
                switch (spec.SkipQualifiersAndTypedefs(member.TypeId))
                {
                    case BtfInt integer:
                        WriteScalar(writer, integer, raw, member.BitfieldSize);
                        break;
                    case BtfEnum enumeration:
                        WriteEnum(writer, enumeration, enumeration.IsSigned ? (long)SignExtend(raw, member.BitfieldSize) : (long)(ulong)raw);
                        break;
                    default:
                        writer.WriteNumberValue((ulong)raw);
                        break;
                }
            }
            else
            {
                Write(writer, spec, member.TypeId, data.Slice((int)(member.BitOffset / 8)));
            }
        }
        writer.WriteEndObject();
    }

    internal static long ReadInteger(ReadOnlySpan<byte> data, int size, bool signed)
    {
        UInt128 raw = ReadBits(data, 0, size * 8);
        return signed ? (long)SignExtend(raw, size * 8) : (long)(ulong)raw;
    }

    /// <summary>Little-endian bit extraction; the validator guarantees the bits lie within the data.</summary>
    internal static UInt128 ReadBits(ReadOnlySpan<byte> data, uint bitOffset, int bits)
    {
        int first = (int)(bitOffset / 8), shift = (int)(bitOffset % 8);
        int bytes = (shift + bits + 7) / 8;
        UInt128 value = 0;
        for (int i = bytes - 1; i >= 0; i--)
            value = (value << 8) | data[first + i];
        value >>= shift;
        return bits >= 128 ? value : value & ((UInt128.One << bits) - 1);
    }

    internal static Int128 SignExtend(UInt128 raw, int bits)
    {
        if (bits >= 128)
            return (Int128)raw;
        int unused = 128 - bits;
        return ((Int128)(raw << unused)) >> unused;
    }

    private static string Hex(ReadOnlySpan<byte> data)
    {
        var text = new StringBuilder("0x");
        for (int i = data.Length - 1; i >= 0; i--)
            text.Append(data[i].ToString("x2", CultureInfo.InvariantCulture));
        return text.ToString();
    }
}

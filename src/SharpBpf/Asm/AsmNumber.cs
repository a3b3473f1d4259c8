using System.Globalization;

namespace SharpBpf.Asm;

/// <summary>
/// The number rules of the conformance syntax: decimal values are values (they must fit), hex values without a
/// sign are bit patterns of the field's width (<c>0xffffffff</c> is −1 in a 32-bit immediate).
/// </summary>
internal static class AsmNumber
{
    /// <summary>Reads <c>[+-]?(0x hex | decimal)</c>; false when the text is not a number or exceeds 64 bits.</summary>
    public static bool TryParse(string text, out bool negative, out ulong magnitude, out bool hex)
    {
        negative = false;
        magnitude = 0;
        hex = false;
        var digits = text.AsSpan();
        if (digits.Length > 0 && (digits[0] == '-' || digits[0] == '+'))
        {
            negative = digits[0] == '-';
            digits = digits[1..];
        }

        if (digits.Length > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
        {
            hex = true;
            digits = digits[2..];
            return digits.Length <= 16 && AllHex(digits)
                && ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out magnitude);
        }

        return digits.Length > 0 && AllDecimal(digits)
            && ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude);
    }

    /// <summary>A 32-bit immediate; null with <paramref name="error"/> set when it does not fit.</summary>
    public static int? Immediate32(string text, out string? error)
    {
        error = null;
        if (!TryParse(text, out var negative, out var magnitude, out var hex))
        {
            error = $"'{text}' is not a number";
            return null;
        }

        if (hex && !negative)
        {
            if (magnitude <= uint.MaxValue)
            {
                return unchecked((int)(uint)magnitude);
            }

            error = $"'{text}' is wider than 32 bits";
            return null;
        }

        if (negative ? magnitude <= 1UL << 31 : magnitude <= int.MaxValue)
        {
            return negative ? unchecked((int)(0 - (long)magnitude)) : (int)magnitude;
        }

        error = $"'{text}' does not fit in a signed 32-bit immediate";
        return null;
    }

    /// <summary>An <c>lddw</c> constant: any 64-bit pattern, or a decimal value from long.MinValue to ulong.MaxValue.</summary>
    public static ulong? Immediate64(string text, out string? error)
    {
        error = null;
        if (!TryParse(text, out var negative, out var magnitude, out _))
        {
            error = $"'{text}' is not a number or does not fit in 64 bits";
            return null;
        }

        if (!negative)
        {
            return magnitude;
        }

        if (magnitude <= 1UL << 63)
        {
            return unchecked(0UL - magnitude);
        }

        error = $"'{text}' does not fit in a signed 64-bit value";
        return null;
    }

    /// <summary>A signed value that must lie in [<paramref name="min"/>, <paramref name="max"/>] (offsets, slot counts).</summary>
    public static long? Signed(string text, long min, long max, string what, out string? error)
    {
        error = null;
        if (!TryParse(text, out var negative, out var magnitude, out _))
        {
            error = $"'{text}' is not a number";
            return null;
        }

        if (magnitude <= (ulong)long.MaxValue)
        {
            var value = negative ? -(long)magnitude : (long)magnitude;
            if (value >= min && value <= max)
            {
                return value;
            }
        }

        error = $"{what} '{text}' is out of range [{min}, {max}]";
        return null;
    }

    private static bool AllHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c)) return false;
        }

        return true;
    }

    private static bool AllDecimal(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }

        return true;
    }
}

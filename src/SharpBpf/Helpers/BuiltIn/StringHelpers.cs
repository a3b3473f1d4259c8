using SharpBpf.Maps;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// bpf_strtol, bpf_strtoul and bpf_strncmp with the kernel's rules: leading whitespace, one '-', base 0/8/10/16 in
/// the low five flag bits (0 detects a "0x" or "0" prefix), at most 63 characters after the sign are looked at,
/// the result is the number of characters consumed; -EINVAL for no digits or bad flags, -ERANGE on overflow.
/// </summary>
internal static class StringHelpers
{
    private const ulong BaseMask = 0x1F;
    private const ulong OverflowFlag = 1UL << 31;

    public static ulong Strtol(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var result = context.GetMemory(r4, 8, MemoryAccess.Write);
        result.Clear();
        var consumed = Parse(context.GetMemory(r1, r2, MemoryAccess.Read), r3, out var value, out var negative);
        if (consumed < 0)
        {
            return (ulong)consumed;
        }

        long signedValue;
        if (negative)
        {
            if ((long)(0UL - value) > 0)
            {
                return HelperErrors.Erange;
            }

            signedValue = (long)(0UL - value);
        }
        else
        {
            if ((long)value < 0)
            {
                return HelperErrors.Erange;
            }

            signedValue = (long)value;
        }

        BitConverter.TryWriteBytes(result, signedValue);
        return (ulong)consumed;
    }

    public static ulong Strtoul(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var result = context.GetMemory(r4, 8, MemoryAccess.Write);
        result.Clear();
        var consumed = Parse(context.GetMemory(r1, r2, MemoryAccess.Read), r3, out var value, out var negative);
        if (consumed < 0)
        {
            return (ulong)consumed;
        }

        if (negative)
        {
            return HelperErrors.Einval;
        }

        BitConverter.TryWriteBytes(result, value);
        return (ulong)consumed;
    }

    /// <summary>strncmp(s1, s2, s1_sz) with the kernel's -1/0/1 result; s2 is a NUL-terminated constant string.</summary>
    public static ulong Strncmp(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var left = context.GetMemory(r1, (uint)r2, MemoryAccess.Read);
        var right = BpfPrintf.ReadConstString(context, r3, "bpf_strncmp");
        for (var i = 0; i < left.Length; i++)
        {
            var a = left[i];
            var b = i < right.Length ? right[i] : (byte)0;
            if (a != b)
            {
                return a < b ? ulong.MaxValue : 1UL;
            }

            if (a == 0)
            {
                break;
            }
        }

        return 0;
    }

    /// <summary>The kernel's __bpf_strtoull: characters consumed, or -errno.</summary>
    internal static long Parse(ReadOnlySpan<byte> buffer, ulong flags, out ulong value, out bool negative)
    {
        value = 0;
        negative = false;
        var radix = (uint)(flags & BaseMask);
        if (buffer.IsEmpty || radix is not (0 or 8 or 10 or 16) || (flags & ~BaseMask) != 0)
        {
            return Errno.EINVAL.ToHelperResult();
        }

        var position = 0;
        while (position < buffer.Length && BpfPrintf.IsSpace(buffer[position]))
        {
            position++;
        }

        negative = position < buffer.Length && buffer[position] == '-';
        if (negative)
        {
            position++;
        }

        if (position == buffer.Length)
        {
            return Errno.EINVAL.ToHelperResult();
        }

        // The kernel copies at most 63 characters into a NUL-terminated scratch string before parsing.
        var text = buffer[position..];
        text = text[..Math.Min(text.Length, 63)];
        var nul = text.IndexOf((byte)0);
        if (nul >= 0)
        {
            text = text[..nul];
        }

        var prefix = 0;
        if (radix == 0)
        {
            radix = At(text, 0) == '0'
                ? (ToLower(At(text, 1)) == 'x' && IsHexDigit(At(text, 2)) ? 16u : 8u)
                : 10u;
        }

        if (radix == 16 && At(text, 0) == '0' && ToLower(At(text, 1)) == 'x')
        {
            prefix = 2;
        }

        var digits = ParseInteger(text[Math.Min(prefix, text.Length)..], radix, out value);
        if ((digits & OverflowFlag) != 0)
        {
            return Errno.ERANGE.ToHelperResult();
        }

        if (digits == 0)
        {
            return Errno.EINVAL.ToHelperResult();
        }

        return position + prefix + (long)digits;
    }

    /// <summary>The kernel's _parse_integer: digits consumed, with <see cref="OverflowFlag"/> set when the value left 64 bits.</summary>
    private static ulong ParseInteger(ReadOnlySpan<byte> text, uint radix, out ulong value)
    {
        value = 0;
        ulong count = 0;
        var overflow = false;
        foreach (var c in text)
        {
            uint digit;
            if (c is >= (byte)'0' and <= (byte)'9')
            {
                digit = (uint)(c - '0');
            }
            else if (ToLower(c) is >= (byte)'a' and <= (byte)'f')
            {
                digit = (uint)(ToLower(c) - 'a' + 10);
            }
            else
            {
                break;
            }

            if (digit >= radix)
            {
                break;
            }

            if (value > (ulong.MaxValue - digit) / radix)
            {
                overflow = true;
            }

            value = value * radix + digit;
            count++;
        }

        return overflow ? count | OverflowFlag : count;
    }

    private static byte At(ReadOnlySpan<byte> text, int index) => (uint)index < (uint)text.Length ? text[index] : (byte)0;

    private static byte ToLower(byte c) => c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c + 32) : c;

    private static bool IsHexDigit(byte c) => c is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');
}

using System.Buffers.Binary;
using System.Text;
using SharpBpf.Maps;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// The printf dialect of bpf_trace_printk, bpf_trace_vprintk and bpf_snprintf: the kernel's format check
/// (<c>bpf_bprintf_prepare</c>) and its formatting (<c>bstr_printf</c>) in one pass.
/// Accepted: <c>%%</c>, flags <c>0 + - space</c>, a width, <c>%d %i %u %x %X</c> with optional <c>l</c>/<c>ll</c>,
/// <c>%c</c>, <c>%s</c> (also <c>%pks %pus</c>), <c>%p</c> (also <c>%px %pK %ps %pS %pB</c>), <c>%pI4 %pi4 %pI6 %pi6</c>.
/// Anything else, a non-printable character, or more conversions than arguments gives -EINVAL; arguments
/// that overflow the kernel's 512-byte argument buffer give -ENOSPC.
/// Does not: hash <c>%p</c> values or resolve symbols (every pointer prints like <c>%px</c>), support precision.
/// </summary>
internal static class BpfPrintf
{
    /// <summary>MAX_BPRINTF_BIN_ARGS: the kernel's buffer for converted arguments (strings are copied into it).</summary>
    public const int MaxBinaryArguments = 512;

    /// <summary>MAX_BPRINTF_BUF: bpf_trace_printk's output buffer.</summary>
    public const int MaxOutput = 1024;

    /// <summary>MAX_BPRINTF_VARARGS.</summary>
    public const int MaxVarArgs = 12;

    [Flags]
    private enum Spec
    {
        None = 0,
        Left = 1,
        Plus = 2,
        Space = 4,
        ZeroPad = 8,
    }

    /// <summary>
    /// bpf_bprintf_prepare as the verifier calls it for a constant format (no arguments at hand, so no buffer limits):
    /// every character is printable and every conversion is one the dialect knows, needing at most
    /// <paramref name="argumentCount"/> arguments.
    /// </summary>
    public static bool IsValidFormat(ReadOnlySpan<byte> format, int argumentCount)
    {
        var conversions = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c >= 0x80 || (!IsPrint(c) && !IsSpace(c)))
            {
                return false;
            }

            if (c != '%')
            {
                continue;
            }

            if (At(format, i + 1) == '%')
            {
                i++;
                continue;
            }

            if (conversions++ >= argumentCount)
            {
                return false;
            }

            i++;
            while (At(format, i) is (byte)'0' or (byte)'+' or (byte)'-' or (byte)' ')
            {
                i++;
            }

            if (At(format, i) is >= (byte)'1' and <= (byte)'9')
            {
                while (At(format, i) is >= (byte)'0' and <= (byte)'9')
                {
                    i++;
                }
            }

            var conversion = At(format, i);
            if (conversion == 'p')
            {
                var next = At(format, i + 1);
                if ((next == 'k' || next == 'u') && At(format, i + 2) == 's')
                {
                    i += 2;
                }
                else if (next == 0 || IsSpace(next) || IsPunct(next) || next is (byte)'K' or (byte)'x' or (byte)'s' or (byte)'S' or (byte)'B'
                         || ((next == 'i' || next == 'I') && (At(format, i + 2) == '4' || At(format, i + 2) == '6')))
                {
                    i = SkipPointerExtension(format, i);
                }
                else
                {
                    return false;
                }
            }
            else if (conversion is not ((byte)'s' or (byte)'c'))
            {
                i += At(format, i) == 'l' ? (At(format, i + 1) == 'l' ? 2 : 1) : 0;
                if (At(format, i) is not ((byte)'i' or (byte)'d' or (byte)'u' or (byte)'x' or (byte)'X'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Formats <paramref name="format"/> (without its NUL) with <paramref name="arguments"/> into <paramref name="output"/>.
    /// Returns 0 or -errno (nothing useful is in <paramref name="output"/> then).
    /// </summary>
    public static long Format(HelperCallContext context, ReadOnlySpan<byte> format, ReadOnlySpan<ulong> arguments, List<byte> output)
    {
        var conversions = 0;
        var binaryUsed = 0;
        Span<byte> address = stackalloc byte[16];
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c >= 0x80 || (!IsPrint(c) && !IsSpace(c)))
            {
                return Errno.EINVAL.ToHelperResult();
            }

            if (c != '%')
            {
                output.Add(c);
                continue;
            }

            if (At(format, i + 1) == '%')
            {
                output.Add((byte)'%');
                i++;
                continue;
            }

            if (conversions >= arguments.Length)
            {
                return Errno.EINVAL.ToHelperResult();
            }

            var argument = arguments[conversions];
            i++;
            var flags = Spec.None;
            while (true)
            {
                var flag = At(format, i);
                var bit = flag switch { (byte)'0' => Spec.ZeroPad, (byte)'+' => Spec.Plus, (byte)'-' => Spec.Left, (byte)' ' => Spec.Space, _ => Spec.None };
                if (bit == Spec.None)
                {
                    break;
                }

                flags |= bit;
                i++;
            }

            var width = -1;
            if (At(format, i) is >= (byte)'1' and <= (byte)'9')
            {
                width = 0;
                while (At(format, i) is >= (byte)'0' and <= (byte)'9')
                {
                    width = Math.Min(width * 10 + (At(format, i) - '0'), MaxOutput);
                    i++;
                }
            }

            var conversion = At(format, i);
            if (conversion == 'p')
            {
                var next = At(format, i + 1);
                if ((next == 'k' || next == 'u') && At(format, i + 2) == 's')
                {
                    i += 2;
                    var error = FormatString(context, format, ref i, argument, flags, width, ref binaryUsed, output);
                    if (error != 0)
                    {
                        return error;
                    }
                }
                else if (next == 0 || IsSpace(next) || IsPunct(next) || next is (byte)'K' or (byte)'x' or (byte)'s' or (byte)'S' or (byte)'B')
                {
                    if (!Reserve(ref binaryUsed, 8, align: next != 'B'))
                    {
                        return Errno.ENOSPC.ToHelperResult();
                    }

                    i = SkipPointerExtension(format, i);
                    FormatPointer(argument, flags, width, output);
                }
                else if ((next == 'i' || next == 'I') && (At(format, i + 2) == '4' || At(format, i + 2) == '6'))
                {
                    var length = At(format, i + 2) == '4' ? 4 : 16;
                    if (MaxBinaryArguments - binaryUsed < length)
                    {
                        return Errno.ENOSPC.ToHelperResult();
                    }

                    address.Clear();
                    if (context.TryGetMemory(argument, (ulong)length, MemoryAccess.Read, out var source))
                    {
                        source.CopyTo(address);
                    }

                    var text = FormatIp(address[..length], upper: next == 'I');
                    binaryUsed += text.Length + 1;
                    i = SkipPointerExtension(format, i);
                    Pad(Encoding.ASCII.GetBytes(text), flags & ~Spec.ZeroPad, width, output);
                }
                else
                {
                    return Errno.EINVAL.ToHelperResult();
                }
            }
            else if (conversion == 's')
            {
                var error = FormatString(context, format, ref i, argument, flags, width, ref binaryUsed, output);
                if (error != 0)
                {
                    return error;
                }
            }
            else if (conversion == 'c')
            {
                if (binaryUsed == MaxBinaryArguments)
                {
                    return Errno.ENOSPC.ToHelperResult();
                }

                binaryUsed++;
                Pad([(byte)argument], flags & ~Spec.ZeroPad, width, output);
            }
            else
            {
                var size = 4;
                if (At(format, i) == 'l')
                {
                    size = 8;
                    i++;
                }

                if (At(format, i) == 'l')
                {
                    i++;
                }

                conversion = At(format, i);
                if (conversion is not ((byte)'i' or (byte)'d' or (byte)'u' or (byte)'x' or (byte)'X'))
                {
                    return Errno.EINVAL.ToHelperResult();
                }

                if (!Reserve(ref binaryUsed, size, align: true))
                {
                    return Errno.ENOSPC.ToHelperResult();
                }

                FormatNumber(argument, size, conversion, flags, width, output);
            }

            conversions++;
        }

        return 0;
    }

    /// <summary>The format string of a <c>(fmt, fmt_size)</c> pair up to its NUL; false when there is no NUL within the size.</summary>
    public static bool TryTerminated(ReadOnlySpan<byte> memory, out ReadOnlySpan<byte> format)
    {
        var nul = memory.IndexOf((byte)0);
        format = nul < 0 ? default : memory[..nul];
        return nul >= 0;
    }

    /// <summary>
    /// A NUL-terminated string at <paramref name="address"/> that must be readable in full (ARG_PTR_TO_CONST_STR):
    /// faults the run when it is not.
    /// </summary>
    public static ReadOnlySpan<byte> ReadConstString(HelperCallContext context, ulong address, string helper)
    {
        if (!TryReadString(context, address, int.MaxValue, out var text, out var terminated) || !terminated)
        {
            context.Fault($"{helper}: 0x{address:x} is not a NUL-terminated string in readable memory");
        }

        return text;
    }

    /// <summary>
    /// Reads a string like the kernel's nofault string copies: up to the first NUL or <paramref name="maxLength"/>
    /// bytes, stopping where readable memory ends. False when not even the first byte is readable.
    /// </summary>
    public static bool TryReadString(HelperCallContext context, ulong address, int maxLength, out ReadOnlySpan<byte> text, out bool terminated)
    {
        text = default;
        terminated = false;
        var length = 0;
        while (length < maxLength)
        {
            if (!context.TryGetMemory(address + (ulong)length, 1, MemoryAccess.Read, out var cell))
            {
                break;
            }

            if (cell[0] == 0)
            {
                terminated = true;
                break;
            }

            length++;
        }

        if (length == 0)
        {
            return terminated;
        }

        context.TryGetMemory(address, (ulong)length, MemoryAccess.Read, out var span);
        text = span;
        return true;
    }

    private static long FormatString(HelperCallContext context, ReadOnlySpan<byte> format, ref int i, ulong pointer, Spec flags, int width,
        ref int binaryUsed, List<byte> output)
    {
        var next = At(format, i + 1);
        if (next != 0 && !IsSpace(next) && !IsPunct(next))
        {
            return Errno.EINVAL.ToHelperResult();
        }

        if (binaryUsed == MaxBinaryArguments)
        {
            return Errno.ENOSPC.ToHelperResult();
        }

        var room = MaxBinaryArguments - binaryUsed;
        if (TryReadString(context, pointer, room - 1, out var text, out _))
        {
            binaryUsed += text.Length + 1;
        }
        else
        {
            text = default;
            binaryUsed += 1;
        }

        Pad(text, flags & ~Spec.ZeroPad, width, output);
        return 0;
    }

    /// <summary>The kernel's bstr_printf skips every alphanumeric character after a <c>%p</c>.</summary>
    private static int SkipPointerExtension(ReadOnlySpan<byte> format, int i)
    {
        while (IsAlphaNumeric(At(format, i + 1)))
        {
            i++;
        }

        return i;
    }

    private static bool Reserve(ref int binaryUsed, int size, bool align)
    {
        var start = align ? (binaryUsed + 3) & ~3 : binaryUsed;
        if (MaxBinaryArguments - start < size)
        {
            return false;
        }

        binaryUsed = start + size;
        return true;
    }

    private static void FormatPointer(ulong value, Spec flags, int width, List<byte> output)
    {
        if (width < 0)
        {
            width = 16;
            flags |= Spec.ZeroPad;
        }

        FormatNumber(value, 8, (byte)'x', flags, width, output);
    }

    private static void FormatNumber(ulong raw, int size, byte conversion, Spec flags, int width, List<byte> output)
    {
        var signed = conversion is (byte)'d' or (byte)'i';
        var value = size == 4 ? (signed ? (ulong)(long)(int)(uint)raw : (uint)raw) : raw;
        byte sign = 0;
        if (signed)
        {
            if ((long)value < 0)
            {
                sign = (byte)'-';
                value = 0UL - value;
            }
            else if ((flags & Spec.Plus) != 0)
            {
                sign = (byte)'+';
            }
            else if ((flags & Spec.Space) != 0)
            {
                sign = (byte)' ';
            }
        }

        Span<byte> digits = stackalloc byte[24];
        var count = 0;
        var radix = conversion is (byte)'x' or (byte)'X' ? 16UL : 10UL;
        var alphabet = conversion == 'X' ? "0123456789ABCDEF"u8 : "0123456789abcdef"u8;
        do
        {
            digits[count++] = alphabet[(int)(value % radix)];
            value /= radix;
        }
        while (value != 0);

        var length = count + (sign != 0 ? 1 : 0);
        var padding = Math.Max(0, width - length);
        var left = (flags & Spec.Left) != 0;
        var zero = !left && (flags & Spec.ZeroPad) != 0;
        if (!left && !zero)
        {
            Repeat(output, (byte)' ', padding);
        }

        if (sign != 0)
        {
            output.Add(sign);
        }

        if (zero)
        {
            Repeat(output, (byte)'0', padding);
        }

        for (var d = count - 1; d >= 0; d--)
        {
            output.Add(digits[d]);
        }

        if (left)
        {
            Repeat(output, (byte)' ', padding);
        }
    }

    private static void Pad(ReadOnlySpan<byte> text, Spec flags, int width, List<byte> output)
    {
        var padding = Math.Max(0, width - text.Length);
        var left = (flags & Spec.Left) != 0;
        if (!left)
        {
            Repeat(output, (byte)' ', padding);
        }

        foreach (var b in text)
        {
            output.Add(b);
        }

        if (left)
        {
            Repeat(output, (byte)' ', padding);
        }
    }

    private static void Repeat(List<byte> output, byte value, int count)
    {
        for (var k = 0; k < count; k++)
        {
            output.Add(value);
        }
    }

    /// <summary>%pI4 "1.2.3.4", %pi4 "001.002.003.004", %pI6 eight colon-separated 4-digit groups, %pi6 32 hex digits.</summary>
    private static string FormatIp(ReadOnlySpan<byte> address, bool upper)
    {
        if (address.Length == 4)
        {
            return upper
                ? $"{address[0]}.{address[1]}.{address[2]}.{address[3]}"
                : $"{address[0]:D3}.{address[1]:D3}.{address[2]:D3}.{address[3]:D3}";
        }

        var text = new StringBuilder(39);
        for (var g = 0; g < 8; g++)
        {
            if (upper && g > 0)
            {
                text.Append(':');
            }

            text.Append(BinaryPrimitives.ReadUInt16BigEndian(address[(g * 2)..]).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static byte At(ReadOnlySpan<byte> format, int index) => (uint)index < (uint)format.Length ? format[index] : (byte)0;

    private static bool IsPrint(byte c) => c is >= 0x20 and < 0x7f;

    /// <summary>The kernel's isspace: space, \t \n \v \f \r (and 0xa0, which the callers here never reach).</summary>
    internal static bool IsSpace(byte c) => c is (byte)' ' or (>= 9 and <= 13) or 0xa0;

    private static bool IsPunct(byte c) => IsPrint(c) && c != ' ' && !IsAlphaNumeric(c);

    private static bool IsAlphaNumeric(byte c) => c is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z');
}

using System.Globalization;

namespace SharpBpf.Asm;

/// <summary>Parses single operands (registers, immediates, memory operands, jump targets), failing with positions.</summary>
internal static class OperandParser
{
    public const int HighestRegister = 10;

    public static byte Register(AsmLine line, AsmToken token)
    {
        var text = token.Text;
        if (!text.StartsWith("%r", StringComparison.Ordinal))
        {
            throw line.Error(token.Column, text.StartsWith('[')
                ? $"expected a register, got the memory operand '{text}'"
                : $"expected a register, got '{text}'");
        }

        var digits = text.AsSpan(2);
        if (digits.Length is 0 or > 3 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw line.Error(token.Column, $"invalid register '{text}'");
        }

        if (number > HighestRegister)
        {
            throw line.Error(token.Column, $"invalid register '{text}': registers are %r0 to %r10");
        }

        return (byte)number;
    }

    public static int Immediate32(AsmLine line, AsmToken token)
    {
        if (token.Text.StartsWith('%') || token.Text.StartsWith('['))
        {
            throw line.Error(token.Column, $"expected an immediate, got '{token.Text}'");
        }

        return AsmNumber.Immediate32(token.Text, out var error) ?? throw line.Error(token.Column, error!);
    }

    public static ulong Immediate64(AsmLine line, AsmToken token) =>
        AsmNumber.Immediate64(token.Text, out var error) ?? throw line.Error(token.Column, error!);

    public static long Signed(AsmLine line, AsmToken token, long min, long max, string what) =>
        AsmNumber.Signed(token.Text, min, max, what, out var error) ?? throw line.Error(token.Column, error!);

    /// <summary><c>[%rN]</c>, <c>[%rN+off]</c> or <c>[%rN-off]</c>, off decimal or hex, signed 16-bit.</summary>
    public static (byte Register, short Offset) Memory(AsmLine line, AsmToken token)
    {
        var text = token.Text;
        if (text.Length < 2 || text[0] != '[' || text[^1] != ']')
        {
            throw line.Error(token.Column, $"expected a memory operand [%rN+off], got '{text}'");
        }

        var inner = text[1..^1];
        var sign = inner.IndexOfAny(['+', '-']);
        var registerText = sign < 0 ? inner : inner[..sign];
        var register = Register(line, new AsmToken(registerText, token.Column + 1));
        if (sign < 0)
        {
            return (register, 0);
        }

        var offsetToken = new AsmToken(inner[sign..], token.Column + 1 + sign);
        if (offsetToken.Text.Length < 2 || offsetToken.Text[1] is '+' or '-')
        {
            throw line.Error(offsetToken.Column, $"invalid offset '{offsetToken.Text}'");
        }

        var offset = Signed(line, offsetToken, short.MinValue, short.MaxValue, "offset");
        return (register, (short)offset);
    }

    /// <summary>A target is a label name or a signed slot count written with its sign (<c>+3</c>, <c>-1</c>).</summary>
    public static void CheckTargetSyntax(AsmLine line, AsmToken token)
    {
        if (IsRelative(token.Text) || IsLabelName(token.Text))
        {
            return;
        }

        throw line.Error(token.Column, $"invalid jump target '{token.Text}': expected a label or +N/-N");
    }

    public static bool IsRelative(string text) => text.Length > 1 && text[0] is '+' or '-';

    public static bool IsLabelName(string text)
    {
        if (text.Length == 0 || !(char.IsAsciiLetter(text[0]) || text[0] is '_' or '.'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}

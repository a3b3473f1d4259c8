using System.Globalization;
using SharpBpf.Isa;

namespace SharpBpf.Asm;

/// <summary>
/// Reads a <c>-- raw</c> section in both spellings: one 64-bit little-endian word per line (<c>0x…</c> or decimal),
/// or eight space-separated hex bytes per line in memory order (the <c>negative/unused-*</c> files).
/// </summary>
internal static class RawProgram
{
    public static Instruction[]? Read(List<DataFileLine> lines, List<string> problems)
    {
        var program = new List<Instruction>();
        foreach (var line in lines)
        {
            var tokens = line.Content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var ok = tokens.Length == 1 ? TryWord(tokens[0], program) : TryBytes(tokens, program);
            if (!ok)
            {
                problems.Add($"line {line.Number}: '{line.Content.Trim()}' is neither a 64-bit instruction word nor 8 hex bytes");
                return null;
            }
        }

        return [.. program];
    }

    private static bool TryWord(string token, List<Instruction> program)
    {
        var ok = token.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(token.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var word)
            : ulong.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out word);
        if (ok)
        {
            program.Add(Instruction.FromRaw(word));
        }

        return ok;
    }

    private static bool TryBytes(string[] tokens, List<Instruction> program)
    {
        if (tokens.Length != Instruction.Size)
        {
            return false;
        }

        var bytes = new byte[Instruction.Size];
        for (var i = 0; i < tokens.Length; i++)
        {
            if (tokens[i].Length > 2
                || !byte.TryParse(tokens[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }

        program.Add(Instruction.Decode(bytes)[0]);
        return true;
    }
}

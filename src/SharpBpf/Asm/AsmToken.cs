namespace SharpBpf.Asm;

/// <summary>One whitespace- or comma-separated word of an assembly line, with its 1-based column.</summary>
internal readonly record struct AsmToken(string Text, int Column)
{
    /// <summary>Splits a line after dropping its <c>#</c> comment. Commas separate like spaces.</summary>
    public static List<AsmToken> Split(string line)
    {
        var tokens = new List<AsmToken>();
        var end = line.IndexOf('#');
        if (end < 0)
        {
            end = line.Length;
        }

        var i = 0;
        while (i < end)
        {
            if (IsSeparator(line[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < end && !IsSeparator(line[i]))
            {
                i++;
            }

            tokens.Add(new AsmToken(line[start..i], start + 1));
        }

        return tokens;
    }

    private static bool IsSeparator(char c) => c == ',' || char.IsWhiteSpace(c) || char.IsControl(c);
}

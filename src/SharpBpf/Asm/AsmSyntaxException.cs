namespace SharpBpf.Asm;

/// <summary>
/// Assembly text is not valid: an unknown mnemonic, a wrong operand, an undefined label, a value out of range.
/// Positions are 1-based; <see cref="Column"/> points at the offending token.
/// </summary>
internal sealed class AsmSyntaxException : BpfException
{
    public AsmSyntaxException(int line, int column, string lineText, string reason)
        : base($"line {line}, column {column}: {reason}")
    {
        Line = line;
        Column = column;
        LineText = lineText;
        Reason = reason;
    }

    /// <summary>1-based line number in the assembled source.</summary>
    public int Line { get; }

    /// <summary>1-based column of the offending token.</summary>
    public int Column { get; }

    /// <summary>The whole source line, as written (comments included).</summary>
    public string LineText { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }
}

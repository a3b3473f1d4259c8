namespace SharpBpf.Asm;

/// <summary>A source line being assembled: its number and text, for error positions.</summary>
internal sealed record AsmLine(int Number, string Text)
{
    public AsmSyntaxException Error(int column, string reason) => new(Number, column, Text, reason);
}

namespace SharpBpf.Verifier;

/// <summary>Ends the analysis: the program is rejected at <see cref="Pc"/> for <see cref="Reason"/> (the kernel's words).</summary>
internal sealed class Rejection(int pc, string reason) : Exception(reason)
{
    public int Pc { get; } = pc;
    public string Reason { get; } = reason;
}

namespace SharpBpf.Verifier;

/// <summary>
/// Ends the analysis: the program is rejected at <see cref="Pc"/> for <see cref="Reason"/> (the kernel's words).
/// <see cref="Detail"/> is the line the kernel prints just before its reason, when it prints one
/// (e.g. <c>invalid access to packet, off=14 size=1, R2(id=0,off=14,r=14)</c> before <c>R2 offset is outside of the packet</c>).
/// </summary>
internal sealed class Rejection(int pc, string reason, string? detail = null) : Exception(reason)
{
    public int Pc { get; } = pc;
    public string Reason { get; } = reason;
    public string? Detail { get; } = detail;
}

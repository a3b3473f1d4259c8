namespace SharpBpf.Verifier;

/// <summary>
/// Why the analysis ended: the program is rejected at <see cref="Pc"/> for <see cref="Reason"/> (the kernel's words).
/// <see cref="Detail"/> is the line the kernel prints just before its reason, when it prints one
/// (e.g. <c>invalid access to packet, off=14 size=1, R2(id=0,off=14,r=14)</c> before <c>R2 offset is outside of the packet</c>).
/// A result, not an exception: a check records it (Analysis.Reject) and returns false, and every caller passes the
/// false on, as the kernel's checks pass on their error code.
/// </summary>
internal sealed record Rejection(int Pc, string Reason, string? Detail = null);

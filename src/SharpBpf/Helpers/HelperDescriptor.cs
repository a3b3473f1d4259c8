namespace SharpBpf.Helpers;

/// <summary>
/// One registered helper: its kernel id, its name (as in uapi <c>bpf.h</c> without <c>bpf_</c>, or as the host likes),
/// its code, and its signature for the verifier (null: the verifier refuses calls to it).
/// </summary>
internal sealed record HelperDescriptor(int Id, string Name, HelperFunction Function, HelperSignature? Signature = null);

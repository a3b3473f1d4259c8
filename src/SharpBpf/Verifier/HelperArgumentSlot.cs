namespace SharpBpf.Verifier;

/// <summary>One memory argument of one helper call: the call's slot and the argument's register (r1–r5).</summary>
internal readonly record struct HelperArgumentSlot(int Call, int Register);

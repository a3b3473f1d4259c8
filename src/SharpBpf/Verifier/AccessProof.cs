namespace SharpBpf.Verifier;

/// <summary>
/// What the verifier proved about the memory instruction in one slot over every visit on every explored path:
/// <see cref="Proven"/> only when each visit passed a bounds check for its region (<see cref="Regions"/>). A slot that
/// is not a load, store or atomic, or that no path reached, is not proven (<see cref="Reason"/> None); a visited
/// memory instruction that is not proven carries the reason of its first unproven visit.
/// </summary>
internal readonly record struct AccessProof(bool Proven, AccessRegions Regions, UnprovenReason Reason = UnprovenReason.None)
{
    public static AccessProof Unproven { get; } = new(false, AccessRegions.None);
}

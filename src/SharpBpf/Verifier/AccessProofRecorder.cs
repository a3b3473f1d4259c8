using System.Collections.Immutable;

namespace SharpBpf.Verifier;

/// <summary>
/// Collects, per slot, whether every visit of a memory instruction was proven in bounds. It cannot run ahead of the
/// proof: a visit starts unproven (<see cref="BeginVisit"/>), only <see cref="InBounds"/> — called at the exact point
/// where a bounds check has just succeeded — makes it proven, and one unproven visit makes the slot unproven for good.
/// It does not judge anything itself: the checks in Analysis.Memory do.
/// </summary>
internal sealed class AccessProofRecorder
{
    private readonly AccessRegions[] _regions;
    private readonly bool[] _visited;
    private readonly bool[] _unprovenVisit;
    private readonly UnprovenReason[] _reasons;
    private AccessRegions _currentVisit;
    private bool _visitOpen;

    private readonly Func<RegisterValue, UnprovenReason> _whyUnproven;

    /// <param name="slots">The program's length in slots.</param>
    /// <param name="whyUnproven">Names the reason an access through this pointer was not proven (asked only then).</param>
    public AccessProofRecorder(int slots, Func<RegisterValue, UnprovenReason> whyUnproven)
    {
        _whyUnproven = whyUnproven;
        _regions = new AccessRegions[slots];
        _visited = new bool[slots];
        _unprovenVisit = new bool[slots];
        _reasons = new UnprovenReason[slots];
    }

    /// <summary>A load, store or one half of an atomic is about to be checked: nothing is proven for it yet.</summary>
    public void BeginVisit()
    {
        _currentVisit = AccessRegions.None;
        _visitOpen = true;
    }

    /// <summary>
    /// The bounds check of the open visit succeeded for <paramref name="region"/>. Outside a visit (a helper's memory
    /// argument goes through the same checks) it records nothing.
    /// </summary>
    public void InBounds(AccessRegions region)
    {
        if (_visitOpen)
        {
            _currentVisit = region;
        }
    }

    /// <summary>
    /// Closes the visit of <paramref name="slot"/>: proven when a bounds check succeeded and
    /// <paramref name="alsoProven"/> (an atomic's alignment) holds; otherwise the slot stays unproven, and the first
    /// unproven visit's reason is kept (what <paramref name="pointer"/>, the address register, lacked, or
    /// <paramref name="alsoReason"/> when only <paramref name="alsoProven"/> failed).
    /// </summary>
    public void EndVisit(int slot, RegisterValue pointer, bool alsoProven = true, UnprovenReason alsoReason = UnprovenReason.AtomicAlignment)
    {
        _visited[slot] = true;
        if (_currentVisit == AccessRegions.None || !alsoProven)
        {
            if (!_unprovenVisit[slot])
            {
                _reasons[slot] = _currentVisit == AccessRegions.None ? _whyUnproven(pointer) : alsoReason;
            }

            _unprovenVisit[slot] = true;
        }
        else
        {
            _regions[slot] |= _currentVisit;
        }

        _currentVisit = AccessRegions.None;
        _visitOpen = false;
    }

    public ImmutableArray<AccessProof> ToProofs()
    {
        var proofs = ImmutableArray.CreateBuilder<AccessProof>(_regions.Length);
        for (var slot = 0; slot < _regions.Length; slot++)
        {
            proofs.Add(!_visited[slot] ? AccessProof.Unproven
                : _unprovenVisit[slot] ? new AccessProof(false, AccessRegions.None, _reasons[slot])
                : new AccessProof(true, _regions[slot]));
        }

        return proofs.MoveToImmutable();
    }
}

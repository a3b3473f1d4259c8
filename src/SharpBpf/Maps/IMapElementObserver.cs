namespace SharpBpf.Maps;

/// <summary>Why an element's special fields are about to be released.</summary>
internal enum ElementReleaseReason
{
    /// <summary>HASH/LRU delete (host or program).</summary>
    Deleted,
    /// <summary>HASH/LRU update without BPF_F_LOCK that replaces an existing element (the old one is released).</summary>
    Replaced,
    /// <summary>LRU eviction to make room.</summary>
    Evicted,
    /// <summary>A successful ARRAY update (also with BPF_F_LOCK): the value stays, its special fields are freed.</summary>
    ArrayUpdated,
}

/// <summary>
/// Told before the special fields of a value stop being valid (the Timers component implements it to cancel and
/// free timers). Calls come synchronously on the thread doing the map operation, with no map lock held; the
/// value memory stays readable during the call (and until in-flight runs end). Not called for BPF_F_LOCK HASH
/// updates, failed updates, array deletes, nor for per-CPU maps (they cannot hold timers).
/// </summary>
internal interface IMapElementObserver
{
    /// <param name="valueAddress">Start of the value (not of the special field).</param>
    /// <param name="keyAddress">The element's key; for arrays a temporary u32 index valid during the call only.</param>
    void OnElementReleasing(BpfMap map, nint valueAddress, nint keyAddress, ElementReleaseReason reason);

    /// <summary>The host's user references dropped to zero (R31): free every special field of the map.</summary>
    void OnUserReferencesReleased(BpfMap map);

    /// <summary>The map is being disposed; its memory is freed right after this returns.</summary>
    void OnMapDisposing(BpfMap map);
}

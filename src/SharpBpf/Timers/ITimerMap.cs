namespace SharpBpf.Timers;

/// <summary>
/// What the timers need from a map that holds <c>struct bpf_timer</c> fields. The maps implement it (or the runtime
/// adapts them); the timers never read or write anything else of a map.
/// </summary>
/// <remarks>
/// The map must call <see cref="TimerService.FreeTimerIn"/> before an element's value memory is freed, reused or
/// overwritten by an update that frees the timer (R26-R30), and <see cref="TimerService.FreeAllTimers"/> when its user
/// reference count drops to zero (R31). Call both outside any lock a timer callback could need (a bucket lock): like
/// the kernel, a free from a non-callback thread waits for that timer's running callback to return.
/// </remarks>
internal interface ITimerMap
{
    /// <summary>The map's name, for inspection and diagnostics.</summary>
    string Name { get; }

    /// <summary>
    /// True while user space holds a reference (fd or pin) to the map. <c>bpf_timer_init</c> fails with -EPERM when
    /// false (R12), and so does <c>bpf_timer_set_callback</c> (R13).
    /// </summary>
    bool HasUserReferences { get; }

    /// <summary>Byte offset of the <c>bpf_timer</c> field inside a value (from the value's BTF).</summary>
    int TimerOffset { get; }

    /// <summary>Size of a key in bytes (for inspection: <see cref="TimerService.GetTimers"/> copies that many).</summary>
    int KeySize { get; }

    /// <summary>
    /// The key pointer a callback receives for the element whose value starts at <paramref name="valueAddress"/>
    /// (R20): for an ARRAY a pointer to a u32 holding the index, valid at least for the duration of the callback; for
    /// HASH/LRU the element's own key. It is also called under the timer service's lock (inspection), so it must be
    /// plain arithmetic: no locks, no blocking.
    /// </summary>
    nint GetCallbackKey(nint valueAddress);
}

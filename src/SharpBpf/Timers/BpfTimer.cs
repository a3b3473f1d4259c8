using SharpBpf.Time;

namespace SharpBpf.Timers;

/// <summary>
/// The state behind one initialized <c>struct bpf_timer</c> slot (the kernel's <c>struct bpf_hrtimer</c>). The slot
/// in map memory holds only <see cref="Handle"/>; everything else lives here. Objects are pooled by
/// <see cref="TimerService"/>: <see cref="Generation"/> changes on every reuse, so a stale handle never resolves.
/// All fields are guarded by the owning service's lock.
/// </summary>
/// <remarks>Does not run callbacks or compute deadlines; it is plain state.</remarks>
internal sealed class BpfTimer(int index)
{
    public const long NeverFires = long.MaxValue;

    public readonly int Index = index;
    public uint Generation = 1;

    public nint SlotAddress;
    public nint ValueAddress;
    public ITimerMap? Map;
    public ClockId Clock;
    public int ClockIndex;

    /// <summary>The registered callback; while set, one reference on its program is held (R33).</summary>
    public ITimerCallback? Callback;

    /// <summary>Queued (in the heap of its clock, under its pool index) or armed-forever (<see cref="NeverFires"/>). Cancel returns 1 exactly when this is true.</summary>
    public bool Armed;
    public long Deadline;

    public bool Running;

    /// <summary>Freed while its callback runs (R24): returned to the pool when the callback returns.</summary>
    public bool Detached;

    /// <summary>How many callbacks are cancelling this timer right now (the kernel's <c>cancelling</c>, R18).</summary>
    public int Cancelling;

    public ulong Handle => ((ulong)Generation << 32) | (uint)(Index + 1);
}

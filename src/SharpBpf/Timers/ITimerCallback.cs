namespace SharpBpf.Timers;

/// <summary>
/// A timer callback: a static BPF subprogram of the program that called <c>bpf_timer_set_callback</c> (R13, R43).
/// The runtime implements it by running that subprogram; tests implement it with plain delegates.
/// </summary>
internal interface ITimerCallback
{
    /// <summary>The program the callback belongs to; a registered callback holds one reference on it (R33).
    /// Null for host callbacks that belong to no program.</summary>
    ITimerProgram? Program { get; }

    /// <summary>Human-readable name for inspection, e.g. <c>prog/subprog</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Runs the callback as <c>cb(map, key, value)</c> (R20) and returns r0. The verifier guarantees 0 (R22); at run
    /// time the value is ignored. An exception is recorded as a fault and does not stop the timers.
    /// </summary>
    long Invoke(ITimerMap map, nint key, nint value);
}

/// <summary>
/// The reference count of a loaded program, as far as timers are concerned: <c>bpf_timer_set_callback</c> takes one
/// reference per timer, and cancel, element free or the user-reference drop give it back (R33).
/// </summary>
internal interface ITimerProgram
{
    void AddReference();

    void ReleaseReference();
}

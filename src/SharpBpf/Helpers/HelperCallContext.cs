using System.Diagnostics.CodeAnalysis;

namespace SharpBpf.Helpers;

/// <summary>
/// What a helper sees of the run that called it. Engines implement it (in <c>SharpBpf.Execution</c>); one instance
/// belongs to one run on one thread and is only valid during the helper call. Faults raised through it are the
/// engine's <c>ProgramFaultException</c>, placed at the calling instruction.
/// </summary>
internal abstract class HelperCallContext
{
    /// <summary>The slot index of the <c>call</c> instruction being served.</summary>
    public abstract int InstructionIndex { get; }

    /// <summary>True when the run validates memory accesses (unverified programs).</summary>
    public abstract bool IsChecked { get; }

    /// <summary>
    /// The prepared program whose code is running (after a tail call, its target): what a helper binds a callback to,
    /// e.g. bpf_timer_set_callback. An <c>Execution.PreparedProgram</c> for the built-in engines.
    /// </summary>
    public abstract object Program { get; }

    /// <summary>The object the host attached to this run (a program context, a map set…), or null.</summary>
    public abstract object? HostState { get; }

    /// <summary>
    /// <paramref name="length"/> bytes at <paramref name="address"/>, for a pointer argument. In checked mode the whole
    /// range must lie in one live region allowing <paramref name="access"/>, otherwise the run faults (out-of-bounds
    /// read or write at this call). In unchecked mode the range is trusted, as the verifier proved it. A zero length
    /// gives an empty span for any address.
    /// </summary>
    public abstract Span<byte> GetMemory(ulong address, ulong length, MemoryAccess access);

    /// <summary>
    /// As <see cref="GetMemory"/> for the memory argument in <paramref name="register"/> (r1–r5) of this call, from a
    /// helper that touches no more than the size its signature names: a range the verifier proved in bounds for that
    /// argument on every path is not checked again (proven-unchecked mode).
    /// </summary>
    public virtual Span<byte> GetArgumentMemory(int register, ulong address, ulong length, MemoryAccess access) =>
        GetMemory(address, length, access);

    /// <summary>Makes <paramref name="length"/> bytes at <paramref name="address"/> accessible to the program for the rest of this run (a map value a lookup returns).</summary>
    public abstract void AddRegion(nint address, long length, MemoryAccess access);

    /// <summary>
    /// Runs a subprogram of the current program to its <c>exit</c> and returns its r0. The callee gets a new stack
    /// frame below the caller's (the call depth limit applies) and shares the run's instruction budget.
    /// </summary>
    /// <param name="functionPointer">A value from <c>lddw func</c> (see <see cref="FunctionPointer"/>); anything else faults.</param>
    public abstract ulong InvokeSubprogram(ulong functionPointer, ulong r1 = 0, ulong r2 = 0, ulong r3 = 0, ulong r4 = 0, ulong r5 = 0);

    /// <summary>As <see cref="InvokeSubprogram"/>, with the slot index of the subprogram's first instruction.</summary>
    public abstract ulong InvokeSubprogramAt(int slot, ulong r1 = 0, ulong r2 = 0, ulong r3 = 0, ulong r4 = 0, ulong r5 = 0);

    /// <summary>
    /// True when the running program reaches every value of <paramref name="map"/> with <paramref name="access"/>
    /// without a region per value (the engine recognises the map's value storage in its checks, as for a proven
    /// program's inlined array lookups): a helper handing the program such values need not add their regions.
    /// </summary>
    internal virtual bool RecognizesValuesOf(Maps.BpfMap map, MemoryAccess access) => false;

    /// <summary>
    /// As <see cref="GetMemory"/>, but reports an inaccessible range instead of faulting, in both modes: for helpers
    /// that read memory the verifier did not prove (the kernel's nofault copies: <c>%s</c> arguments of printk).
    /// </summary>
    public abstract bool TryGetMemory(ulong address, ulong length, MemoryAccess access, out Span<byte> memory);

    /// <summary>The kernel's MAX_TAIL_CALL_CNT: a run makes at most 33 tail calls, so a program body runs at most 34 times.</summary>
    public const int MaxTailCalls = 33;

    /// <summary>Tail calls this run has counted so far.</summary>
    public abstract int TailCallCount { get; }

    /// <summary>
    /// bpf_tail_call's core. When the run already made <see cref="MaxTailCalls"/> tail calls, returns false without
    /// counting. Otherwise counts one, and when <paramref name="target"/> is a program this engine can run (a
    /// prepared program of the same engine and mode), arranges that once the helper returns, the target replaces
    /// the current function: it starts at its first instruction in the current frame (same r10, stack contents
    /// kept, r1 = this call's r1, other registers as the call left them), and the current function never resumes;
    /// the target's exit returns to whoever called the current function. Returns false (counted) for a null or
    /// unrunnable target: the program then continues after the call.
    /// </summary>
    public abstract bool TryTailCall(object? target);

    /// <summary>Ends the whole run (callbacks and their callers included) with r0 = <paramref name="returnValue"/> as soon as the helper returns control.</summary>
    [DoesNotReturn]
    public abstract void EndRun(ulong returnValue);

    /// <summary>Aborts the run with a helper-reported fault at the calling instruction.</summary>
    [DoesNotReturn]
    public abstract void Fault(string reason);
}

using System.Diagnostics.CodeAnalysis;

namespace SharpBpf.Helpers;

/// <summary>
/// What a helper sees of the run that called it. Engines implement it (in <c>SharpBpf.Execution</c>); one instance
/// belongs to one run on one thread and is only valid during the helper call. Faults raised through it are the
/// engine's <c>ProgramFaultException</c>, placed at the calling instruction.
/// </summary>
public abstract class HelperCallContext
{
    /// <summary>The slot index of the <c>call</c> instruction being served.</summary>
    public abstract int InstructionIndex { get; }

    /// <summary>True when the run validates memory accesses (unverified programs).</summary>
    public abstract bool IsChecked { get; }

    /// <summary>The object the host attached to this run (a program context, a map set…), or null.</summary>
    public abstract object? HostState { get; }

    /// <summary>
    /// <paramref name="length"/> bytes at <paramref name="address"/>, for a pointer argument. In checked mode the whole
    /// range must lie in one live region allowing <paramref name="access"/>, otherwise the run faults (out-of-bounds
    /// read or write at this call). In unchecked mode the range is trusted, as the verifier proved it. A zero length
    /// gives an empty span for any address.
    /// </summary>
    public abstract Span<byte> GetMemory(ulong address, ulong length, MemoryAccess access);

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

    /// <summary>Aborts the run with a helper-reported fault at the calling instruction.</summary>
    [DoesNotReturn]
    public abstract void Fault(string reason);
}

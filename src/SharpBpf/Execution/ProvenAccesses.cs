using System.Collections.Immutable;

namespace SharpBpf.Execution;

/// <summary>
/// The slots of one program whose load, store or atomic the verifier proved in bounds on every path, handed to an
/// engine with <see cref="ExecutionMode.ProvenUnchecked"/>. The proofs assume the program starts with r1 = a context
/// of the type it was verified for, so they also name that type (<see cref="ContextType"/>): a tail call may enter a
/// proven program only from a program of the same type with the run's own context.
/// It does not prove anything itself: the verifier built it, the runtime passes it on.
/// </summary>
internal sealed class ProvenAccesses
{
    private readonly ImmutableArray<bool> _proven;

    public ProvenAccesses(IEnumerable<int> provenSlots, int programLength, uint contextType)
    {
        var proven = new bool[programLength];
        foreach (var slot in provenSlots)
        {
            proven[slot] = true;
        }

        _proven = [.. proven];
        ContextType = contextType;
    }

    /// <summary>The program type (the kernel's bpf_prog_type number) whose context the proofs assume in r1.</summary>
    public uint ContextType { get; }

    public bool IsProven(int slot) => (uint)slot < (uint)_proven.Length && _proven[slot];

    public int Count => _proven.Count(p => p);
}

using System.Collections.Frozen;
using System.Collections.Immutable;
using SharpBpf.Maps;

namespace SharpBpf.Execution;

/// <summary>
/// The slots of one program whose load, store or atomic the verifier proved in bounds on every path, handed to an
/// engine with <see cref="ExecutionMode.ProvenUnchecked"/>. The proofs assume the program starts with r1 = a context
/// of the type it was verified for, so they also name that type (<see cref="ContextType"/>): a tail call may enter a
/// proven program only from a program of the same type with the run's own context.
/// They also name the helper memory arguments proven in bounds (<see cref="IsHelperArgumentProven"/>), bound the stack depth and name, per helper call slot, the map r1 holds there on every path (<see cref="KnownMapAt"/>).
/// It does not prove anything itself: the verifier built it, the runtime passes it on.
/// </summary>
internal sealed class ProvenAccesses
{
    private readonly ImmutableArray<bool> _proven;

    private readonly FrozenDictionary<int, BpfMap> _knownCallMaps;

    /// <summary>Per slot, bit r set when the call there has its memory argument in r proven (asked on every helper call: an array, not a set).</summary>
    private readonly byte[] _provenArguments;

    public ProvenAccesses(IEnumerable<int> provenSlots, int programLength, uint contextType, IReadOnlyDictionary<int, BpfMap>? knownCallMaps = null,
        int? stackBytesBound = null, IEnumerable<(int Call, int Register)>? provenHelperArguments = null)
    {
        StackBytesBound = stackBytesBound;
        _provenArguments = new byte[programLength];
        foreach (var (call, register) in provenHelperArguments ?? [])
        {
            _provenArguments[call] |= (byte)(1 << register);
        }

        _knownCallMaps = (knownCallMaps ?? FrozenDictionary<int, BpfMap>.Empty).ToFrozenDictionary();
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

    /// <summary>
    /// The deepest stack any function of the program reaches below its own r10 through a checked access (the verifier's
    /// stack depths), or null when unknown. Bytes a store the verifier did not prove writes are not covered.
    /// </summary>
    public int? StackBytesBound { get; }

    public bool IsProven(int slot) => (uint)slot < (uint)_proven.Length && _proven[slot];

    /// <summary>
    /// True when the memory argument in <paramref name="register"/> of the helper call in <paramref name="slot"/> was
    /// proven in bounds, for the size its signature gives it, on every path.
    /// </summary>
    public bool IsHelperArgumentProven(int slot, int register) =>
        (uint)slot < (uint)_provenArguments.Length && (_provenArguments[slot] & (1 << register)) != 0;

    /// <summary>Per slot, bit r set when the argument in r of the call there is proven (a copy).</summary>
    public byte[] HelperArgumentMasks() => (byte[])_provenArguments.Clone();

    /// <summary>The map r1 holds at the helper call in <paramref name="slot"/> on every path, or null when not proven.</summary>
    public BpfMap? KnownMapAt(int slot) => _knownCallMaps.GetValueOrDefault(slot);

    public int Count => _proven.Count(p => p);
}

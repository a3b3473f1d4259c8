using System.Collections.Immutable;
using SharpBpf.Helpers;

namespace SharpBpf.Verifier;

/// <summary>
/// What the walk proved about each memory argument of each helper call, by the same rule as the loads and stores
/// (<see cref="AccessProofRecorder"/>): every visit of the call starts the argument unproven, only the bounds check
/// of <c>CheckHelperMemory</c> succeeding for the whole size the helper may touch marks it, and one unproven visit
/// (NULL, an unmodelled value, a size not known to be a number, a map the call cannot name) loses it for good.
/// </summary>
internal sealed partial class Analysis
{
    private const int ArgumentRegisters = 5;

    private AccessProofRecorder? _argumentProofs;

    /// <summary>True while a helper's memory argument is checked: the bounds checks then prove for it, not for a load or store.</summary>
    private bool _inArgumentVisit;

    private AccessProofRecorder ArgumentProofs => _argumentProofs ??= new AccessProofRecorder(_code.Length * ArgumentRegisters, WhyUnproven);

    /// <summary>Per helper call and memory argument the walk reached, what every visit proved (meaningful once <see cref="Run"/> accepted).</summary>
    public ImmutableDictionary<HelperArgumentSlot, AccessProof> HelperArgumentProofs
    {
        get
        {
            if (_argumentProofs is null)
            {
                return ImmutableDictionary<HelperArgumentSlot, AccessProof>.Empty;
            }

            var proofs = _argumentProofs.ToProofs();
            var visited = ImmutableDictionary.CreateBuilder<HelperArgumentSlot, AccessProof>();
            for (var index = 0; index < proofs.Length; index++)
            {
                if (proofs[index] is { Proven: true } or { Reason: not UnprovenReason.None })
                {
                    visited[new HelperArgumentSlot(index / ArgumentRegisters, index % ArgumentRegisters + 1)] = proofs[index];
                }
            }

            return visited.ToImmutable();
        }
    }

    /// <summary><see cref="CheckArgument"/>, recording for a memory argument whether this visit proved it in bounds.</summary>
    private bool CheckArgumentProving(int pc, VerifierState state, int register, ImmutableArray<HelperArgument> arguments, int index, CallMeta meta)
    {
        if (!IsMemoryArgument(arguments[index].Kind))
        {
            return CheckArgument(pc, state, register, arguments, index, meta);
        }

        var pointer = state.Registers[register];
        ArgumentProofs.BeginVisit();
        _inArgumentVisit = true;
        bool accepted;
        try
        {
            accepted = CheckArgument(pc, state, register, arguments, index, meta);
        }
        finally
        {
            _inArgumentVisit = false;
        }

        ArgumentProofs.EndVisit((pc * ArgumentRegisters) + register - 1, pointer, alsoProven: SizeIsTheHelpers(state, register, arguments, index, meta),
            alsoReason: UnprovenReason.SizeNotTheHelpers);
        return accepted;
    }

    private static bool IsMemoryArgument(HelperArgKind kind) => kind is HelperArgKind.MapKey or HelperArgKind.MapValue
        or HelperArgKind.UninitMapValue or HelperArgKind.ReadableMemory or HelperArgKind.ReadableMemoryOrNull
        or HelperArgKind.WritableMemory or HelperArgKind.WritableMemoryOrNull;

    /// <summary>
    /// The size the bounds check used is the most the helper can touch: a map's key or value size only for a map of
    /// the object itself (an inner map found at run time is another map), a size register only when it holds a
    /// number (its largest value was checked; a pointer there is let through unchecked).
    /// </summary>
    private static bool SizeIsTheHelpers(VerifierState state, int register, ImmutableArray<HelperArgument> arguments, int index, CallMeta meta) =>
        arguments[index].Kind switch
        {
            HelperArgKind.MapKey or HelperArgKind.MapValue or HelperArgKind.UninitMapValue => meta.Map is not null && meta.MapUid == 0,
            _ => arguments[index].FixedSize > 0
                || (index + 1 < arguments.Length && arguments[index + 1].Kind is HelperArgKind.ConstSize or HelperArgKind.ConstSizeOrZero
                    && state.Registers[register + 1].IsScalar),
        };

    /// <summary>A helper argument's bounds check succeeded for <paramref name="region"/> when <paramref name="proven"/>; always accepts.</summary>
    private bool ArgumentInBounds(bool proven, AccessRegions region)
    {
        if (proven)
        {
            Proofs.InBounds(region);
        }

        return true;
    }
}

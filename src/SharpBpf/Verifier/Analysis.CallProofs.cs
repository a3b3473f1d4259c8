using System.Collections.Immutable;
using SharpBpf.Isa;

namespace SharpBpf.Verifier;

/// <summary>
/// Two facts recorded at calls for the engines, each as soundly as an access proof (one visit against it loses it for good):
/// per helper call site, the one map r1 held on every visit, when it was always the same map of the object itself
/// (an <c>lddw</c> of the map, the kernel's CONST_PTR_TO_MAP with no inner-map uid), so the call needs no run-time
/// comparison of r1; and whether every stack byte the program can reach goes through an access this walk checked and
/// so counted in the functions' stack depths (<see cref="StackBytesBound"/>). A call whose arguments it does not check —
/// a kfunc, a helper without a signature, a helper given a value it does not model — loses that bound.
/// </summary>
internal sealed partial class Analysis
{
    private Dictionary<int, VerifierMap?>? _callMaps;
    private HashSet<VerifierMap>? _objectMaps;
    private bool _uncheckedCallArguments;

    /// <summary>Map names by call slot, for the call sites whose r1 was always the same map of the object.</summary>
    public ImmutableDictionary<int, string> KnownCallMaps =>
        _callMaps is null
            ? ImmutableDictionary<int, string>.Empty
            : _callMaps.Where(site => site.Value is not null).ToImmutableDictionary(site => site.Key, site => site.Value!.Name);

    /// <summary>
    /// The deepest stack any function of the program (the main one, a callback, a subprogram) reaches below its own r10,
    /// in bytes, when every access to the stack was checked by this walk; null when a call took arguments unchecked.
    /// </summary>
    public int? StackBytesBound => _uncheckedCallArguments ? null : _stackDepth.DefaultIfEmpty(0).Max();

    /// <summary>A visit of the call at <paramref name="pc"/> (before its arguments are checked).</summary>
    private void RecordCall(int pc, Instruction insn, VerifierState state)
    {
        if (insn.Src == (byte)CallSource.Local)
        {
            return;
        }

        if (insn.Src != (byte)CallSource.Helper || !_input.Helpers.TryGetValue(insn.Immediate, out var signature))
        {
            _uncheckedCallArguments = true;
            return;
        }

        for (var r = 1; r <= signature.Arguments.Length; r++)
        {
            if (state.Registers[r].Kind == ValueKind.Unknown)
            {
                _uncheckedCallArguments = true;
            }
        }

        RecordCallMap(pc, state.Registers[1]);
    }

    private void RecordCallMap(int pc, RegisterValue r1)
    {
        _objectMaps ??= new HashSet<VerifierMap>(_input.MapReferences.Values.Select(reference => reference.Map), ReferenceEqualityComparer.Instance);
        _callMaps ??= [];
        var map = r1.Kind == ValueKind.MapPointer && r1.MapUid == 0 && r1.Offset == 0 && r1.Map is { } candidate && _objectMaps.Contains(candidate)
            ? candidate
            : null;
        _callMaps[pc] = _callMaps.TryGetValue(pc, out var earlier) && !ReferenceEquals(earlier, map) ? null : map;
    }
}

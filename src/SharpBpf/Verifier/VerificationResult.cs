using System.Collections.Immutable;

namespace SharpBpf.Verifier;

/// <summary>
/// The verdict on one program. <see cref="Error"/> is the kernel's one-line reason and <see cref="InstructionIndex"/>
/// the slot where it was found; <see cref="Log"/> is the log at the requested level (the failing path at level 1,
/// every instruction with its register state at level 2), ending with the kernel's statistics line.
/// </summary>
public sealed record VerificationResult(string Program, bool Accepted, string? Error, int? InstructionIndex, string Log)
{
    /// <summary>
    /// Per instruction slot, what the verifier proved about that slot's load, store or atomic on every path (empty for
    /// a rejected program). Engines may drop the run-time check of a proven access and of nothing else.
    /// </summary>
    internal ImmutableArray<AccessProof> AccessProofs { get; init; } = [];

    /// <summary>
    /// Per memory argument of a helper call the walk reached, what every visit proved (empty for a rejected program):
    /// an engine may drop a helper's check of a proven argument, for at most the size the signature gives it.
    /// </summary>
    internal ImmutableDictionary<HelperArgumentSlot, AccessProof> HelperArgumentProofs { get; init; } = ImmutableDictionary<HelperArgumentSlot, AccessProof>.Empty;

    /// <summary>Per helper call slot, the name of the object's map that r1 held on every path (empty for a rejected program).</summary>
    internal ImmutableDictionary<int, string> KnownCallMaps { get; init; } = ImmutableDictionary<int, string>.Empty;

    /// <summary>
    /// The deepest stack, in bytes below its r10, that any function reaches through an access the verifier checked;
    /// null when some call took arguments it did not check (or the program was rejected).
    /// </summary>
    internal int? StackBytesBound { get; init; }

    /// <summary>Slots whose memory access was proven in bounds on every path.</summary>
    internal IEnumerable<int> ProvenSlots => AccessProofs.Select((proof, slot) => (proof, slot)).Where(p => p.proof.Proven).Select(p => p.slot);

    /// <summary>The helper memory arguments (call slot, register) proven in bounds on every path.</summary>
    internal IEnumerable<(int Call, int Register)> ProvenHelperArguments =>
        HelperArgumentProofs.Where(p => p.Value.Proven).Select(p => (p.Key.Call, p.Key.Register));

    /// <summary>Instructions walked, counted as the kernel's <c>processed N insns</c> counts them.</summary>
    public int ProcessedInstructions { get; init; }

    /// <summary>The exception a load throws for this rejection.</summary>
    public VerificationException ToException() =>
        new(Program, InstructionIndex ?? 0, Error ?? "rejected", Log);
}

using System.Collections.Frozen;
using System.Collections.Immutable;
using SharpBpf.Btf;
using SharpBpf.Helpers;
using SharpBpf.Loader;
using SharpBpf.Runtime.Contexts;
using SharpBpf.Verifier;

namespace SharpBpf.Runtime;

/// <summary>
/// Verifies the programs of an object as the kernel would at load: builds the verifier's view of a program
/// (its maps, functions, context and helper signatures) from the loader's blueprint.
/// </summary>
public static class ObjectVerifier
{
    /// <summary>Verifies <paramref name="program"/> of <paramref name="collection"/> against the built-in helpers.</summary>
    public static VerificationResult Verify(CollectionSpec collection, ProgramSpec program, VerifierOptions? options = null) =>
        Verify(collection, program, DefaultSignatures.Value, options);

    internal static VerificationResult Verify(CollectionSpec collection, ProgramSpec program,
        FrozenDictionary<int, HelperSignature> helpers, VerifierOptions? options, FrozenSet<int>? hostHelperIds = null)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(program);
        if (KfuncLinker.Problem(collection, program) is { } refused)
        {
            return new VerificationResult(program.Name, false, refused.Reason, refused.Slot, refused.Reason + "\n");
        }

        if (MapCompatibilityRules.Check(program, collection) is { } incompatible)
        {
            return new VerificationResult(program.Name, false, incompatible.Reason, incompatible.Pc, $"{incompatible.Pc}: {incompatible.Reason}\n");
        }

        return ProgramVerifier.Verify(InputFor(collection, program, helpers, hostHelperIds), options);
    }

    /// <summary>
    /// The built-in helpers' signatures (timer helpers included, whether or not a registry binds them), overridden
    /// by any signature <paramref name="registry"/> gives.
    /// </summary>
    internal static FrozenDictionary<int, HelperSignature> SignaturesOf(HelperRegistry? registry)
    {
        var signatures = Helpers.BuiltIn.BuiltInHelpers.Signatures.ToDictionary(s => (int)s.Key, s => s.Value);
        foreach (var helper in registry?.Snapshot() ?? [])
        {
            if (helper.Signature is not null)
            {
                signatures[helper.Id] = helper.Signature;
            }
        }

        return signatures.ToFrozenDictionary();
    }

    private static readonly Lazy<FrozenDictionary<int, HelperSignature>> DefaultSignatures = new(() => SignaturesOf(null));

    /// <summary>The ids <paramref name="registry"/> holds beyond the kernel's helpers, with or without a signature.</summary>
    internal static FrozenSet<int> HostHelperIdsOf(HelperRegistry? registry) =>
        (registry?.Snapshot() ?? []).Select(h => h.Id).Where(id => id >= HelperTable.MaxId).ToFrozenSet();

    internal static VerifierInput InputFor(CollectionSpec collection, ProgramSpec program, FrozenDictionary<int, HelperSignature> helpers,
        FrozenSet<int>? hostHelperIds = null)
    {
        var maps = collection.Maps.Select(ToVerifierMap).ToArray();
        return new VerifierInput
        {
            ProgramName = program.Name,
            Instructions = [.. KfuncLinker.Apply(program, program.Instructions.ToArray())],
            Functions = [.. program.Functions.Select(f => new VerifierFunction(f.Name, f.StartSlot, IsStatic(collection.Btf, program, f.StartSlot)))],
            MapReferences = program.MapReferences.ToFrozenDictionary(
                r => r.Slot, r => new VerifierMapReference(maps[r.MapIndex], r.Kind == MapReferenceKind.Value, (int)r.Offset)),
            Context = VerifierContexts.For(program.Type, program.ExpectedAttachType),
            Helpers = helpers,
            HasFuncInfo = !program.FuncInfo.IsDefaultOrEmpty,
            GlobalFunctions = GlobalFunctionsOf(collection.Btf, program),
            ProgramType = (uint)program.Type,
            ExpectedAttachType = (uint?)program.ExpectedAttachType,
            IsGplCompatible = MapCompatibilityRules.IsGplCompatible(program.License ?? collection.License),
            IsSleepable = program.Flags.HasFlag(ProgramFlags.Sleepable),
            HostHelperIds = hostHelperIds ?? helpers.Keys.Where(id => id >= HelperTable.MaxId).ToFrozenSet(),
        };
    }

    private static bool IsStatic(BtfSpec? btf, ProgramSpec program, int startSlot) =>
        FunctionAt(btf, program, startSlot) is { Linkage: BtfFunctionLinkage.Static };

    private static BtfFunction? FunctionAt(BtfSpec? btf, ProgramSpec program, int startSlot)
    {
        if (btf is null || program.FuncInfo.IsDefaultOrEmpty) return null;
        foreach (var info in program.FuncInfo)
        {
            if (info.InstructionIndex == startSlot && info.TypeId < btf.Types.Count && btf[info.TypeId] is BtfFunction function)
            {
                return function;
            }
        }

        return null;
    }

    /// <summary>The subprograms (not the entry) whose BTF linkage is global, with their prototypes as the kernel reads them.</summary>
    private static FrozenDictionary<int, GlobalFunctionPrototype> GlobalFunctionsOf(BtfSpec? btf, ProgramSpec program)
    {
        var globals = new Dictionary<int, GlobalFunctionPrototype>();
        foreach (var function in program.Functions)
        {
            if (function.StartSlot != 0 && FunctionAt(btf, program, function.StartSlot) is { Linkage: BtfFunctionLinkage.Global } global)
            {
                globals[function.StartSlot] = GlobalFunctionPrototypes.Read(btf!, global, program.Type);
            }
        }

        return globals.ToFrozenDictionary();
    }

    private static VerifierMap ToVerifierMap(MapSpec spec) => new(
        spec.Name, spec.Type, (int)spec.KeySize, (int)spec.ValueSize,
        spec.SpecialFields.Fields,
        // The kernel creates device and CPU maps read-only for programs (BPF_F_RDONLY_PROG): their values are for the redirect.
        spec.IsReadOnly || spec.Type is Maps.MapType.Devmap or Maps.MapType.DevmapHash or Maps.MapType.Cpumap,
        spec.InnerMap is null ? null : ToVerifierMap(spec.InnerMap),
        spec.HasBtf,
        (int)spec.MaxEntries) { InitialData = spec.InitialData };
}

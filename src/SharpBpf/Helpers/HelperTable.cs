using System.Collections.Frozen;

namespace SharpBpf.Helpers;

/// <summary>
/// Every helper of Linux 6.18 (ids 0–211, the kernel's <c>__BPF_FUNC_MAPPER</c>) in one table: name, the program
/// types it is offered to, gpl_only, might_sleep and, where SharpBpf models it, its signature. The availability,
/// GPL and sleep facts were measured on Linux 6.18.44 (tests/SharpBpf.Tests/Data/helpers: measure.sh loads a call to
/// every id from every program type that needs no attach BTF); a test keeps the table and the measurement equal.
/// Program types outside <see cref="MeasuredProgramTypes"/> (tracing, lsm, ext, struct_ops, lirc_mode2) were not
/// measured: for them availability is not known and not checked.
/// </summary>
internal static partial class HelperTable
{
    /// <summary>The kernel's <c>__BPF_FUNC_MAX_ID</c>: ids at or above it are "invalid func unknown#N".</summary>
    public static int MaxId => Rows.Length;

    /// <summary>Every row, by id (row 0 is <c>unspec</c>, which no program type is offered).</summary>
    public static IReadOnlyList<HelperInfo> All => Rows;

    /// <summary>The program types whose helper availability is known (measured).</summary>
    public static ProgramTypeSet MeasuredProgramTypes => Measured;

    public static bool TryGet(int id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HelperInfo? info)
    {
        info = (uint)id < (uint)Rows.Length ? Rows[id] : null;
        return info is not null;
    }

    public static HelperInfo Get(HelperId id) =>
        TryGet((int)id, out var info) ? info : throw new ArgumentOutOfRangeException(nameof(id), id, "not a kernel helper id");

    /// <summary>A kernel helper by name, with or without the <c>bpf_</c> prefix.</summary>
    public static bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HelperInfo? info)
    {
        ArgumentNullException.ThrowIfNull(name);
        var bare = name.StartsWith("bpf_", StringComparison.Ordinal) ? name[4..] : name;
        return ByName.TryGetValue(bare, out info);
    }

    /// <summary>
    /// Whether the kernel's <c>get_func_proto</c> for <paramref name="type"/> (an <c>enum bpf_prog_type</c> number) offers the helper: true, false, or null
    /// where the program type was not measured.
    /// </summary>
    public static bool? IsOffered(int id, uint type)
    {
        if (!Measured.Contains(type))
        {
            return null;
        }

        return TryGet(id, out var info) && info.OfferedTo.Contains(type);
    }

    private static HelperInfo Row(HelperId id, string name, ProgramTypeSet offeredTo, bool gplOnly = false,
        ProgramTypeSet gplExemptIn = default, bool mightSleep = false, HelperSignature? signature = null, bool packetAccess = false) =>
        new(id, name, offeredTo, gplOnly, gplExemptIn, mightSleep, signature, packetAccess);

    private static ProgramTypeSet Types(params ReadOnlySpan<uint> types) => ProgramTypeSet.Of(types);

    private static HelperSignature Sig(HelperReturnKind returns, params HelperArgument[] arguments) => new(returns, arguments);
}

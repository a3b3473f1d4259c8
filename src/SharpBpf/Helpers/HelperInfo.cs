namespace SharpBpf.Helpers;

/// <summary>
/// What the kernel knows about one helper (a row of <see cref="HelperTable"/>, like a line of <c>__BPF_FUNC_MAPPER</c>
/// with its <c>bpf_func_proto</c>): id, name, the program types whose <c>get_func_proto</c> offers it, whether it is
/// <c>gpl_only</c> (except in <see cref="GplExemptIn"/>, where the type's own proto is not), whether it
/// <c>might_sleep</c>, whether its memory arguments may be packet memory (<c>pkt_access</c>), and its argument and
/// return kinds where SharpBpf models them (null: not checked).
/// </summary>
internal sealed record HelperInfo(
    HelperId Id,
    string Name,
    ProgramTypeSet OfferedTo,
    bool GplOnly,
    ProgramTypeSet GplExemptIn,
    bool MightSleep,
    HelperSignature? Signature,
    bool PacketAccess = false)
{
    /// <summary>The name the kernel's messages use: <c>bpf_map_lookup_elem</c>.</summary>
    public string KernelName => "bpf_" + Name;

    /// <summary>gpl_only for a program type (its <c>enum bpf_prog_type</c> number).</summary>
    public bool IsGplOnlyFor(uint programType) => GplOnly && !GplExemptIn.Contains(programType);
}

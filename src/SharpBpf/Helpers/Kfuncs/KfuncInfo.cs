namespace SharpBpf.Helpers.Kfuncs;

/// <summary>
/// One kfunc SharpBpf implements: the id a <c>call</c> with src 2 carries in its immediate once SharpBpf linked it
/// (SharpBpf's own numbering: SharpBpf has no vmlinux BTF whose ids Linux uses), the kernel's name, the prototype the
/// object's extern must be compatible with, the kernel's flags, the program types Linux 6.18 offers it to, and the code.
/// </summary>
internal sealed record KfuncInfo(int Id, string Name, KfuncPrototype Prototype, KfuncFlags Flags, ProgramTypeSet OfferedTo, HelperFunction Function)
{
    public bool Has(KfuncFlags flag) => (Flags & flag) != 0;

    /// <summary>The kernel log's spelling of a call, with SharpBpf's id: <c>call bpf_iter_num_new#1</c>.</summary>
    public string CallText => $"call {Name}#{Id}";
}

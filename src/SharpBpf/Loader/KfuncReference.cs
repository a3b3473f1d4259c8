namespace SharpBpf.Loader;

/// <summary>
/// One use of a kfunc (an <c>extern</c> function in <c>.ksyms</c>) in a linked program: a call, which in
/// <see cref="ProgramSpec.Instructions"/> carries src = <c>BPF_PSEUDO_KFUNC_CALL</c> (2) and immediate 0 until a runtime
/// resolves <see cref="Name"/> (libbpf puts the kernel's BTF id there), or an <c>lddw</c> of the kfunc's address
/// (<c>bpf_ksym_exists</c>), which loads 0 until resolved. Names are resolved against the kfuncs the runtime
/// implements, as libbpf resolves them against the kernel's BTF; an unresolved <c>__weak</c> one stays 0.
/// </summary>
/// <param name="Slot">Instruction slot of the call or lddw in the linked program.</param>
/// <param name="Name">The extern's name.</param>
/// <param name="IsWeak">Declared <c>__weak</c>: unresolved, it is 0 instead of an error.</param>
/// <param name="BtfTypeId">The extern's BTF FUNC in <see cref="CollectionSpec.Btf"/> (its prototype is checked).</param>
/// <param name="IsAddress">An lddw of the address rather than a call.</param>
internal readonly record struct KfuncReference(int Slot, string Name, bool IsWeak, uint BtfTypeId, bool IsAddress);

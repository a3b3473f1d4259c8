namespace SharpBpf.Loader;

/// <summary>
/// A function of a linked program: the main body at slot 0 or a subprogram appended after it. Calls (<c>call</c>
/// with src 1) and function-pointer loads (<c>lddw</c> with src 4) reach these entry slots.
/// </summary>
/// <param name="Name">The ELF symbol name (for a static function clang may give none; then <c>sub_&lt;offset&gt;</c>).</param>
/// <param name="StartSlot">First slot in the linked program.</param>
/// <param name="SlotCount">Number of 8-byte slots.</param>
/// <param name="SectionName">The ELF section the function comes from (<c>.text</c> for subprograms).</param>
/// <param name="IsGlobal">A global (non-static) function with default visibility: the kernel verifies it on its own, from its BTF signature.</param>
/// <param name="SectionOffset">Byte offset of the function within <paramref name="SectionName"/> (maps a slot back to the ELF object).</param>
internal readonly record struct ProgramFunction(string Name, int StartSlot, int SlotCount, string SectionName, bool IsGlobal, int SectionOffset);

/// <summary>An <c>lddw</c> with src = <c>BPF_PSEUDO_FUNC</c> (4): the address of a subprogram, passed as a callback (bpf_loop, timers, for_each).</summary>
/// <param name="Slot">Slot of the lddw; its immediate is the relative slot of the target (target - slot - 1), as libbpf writes it.</param>
/// <param name="TargetSlot">Entry slot of the target function in the linked program.</param>
internal readonly record struct FunctionPointerReference(int Slot, int TargetSlot, string TargetName);

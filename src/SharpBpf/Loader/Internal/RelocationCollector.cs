using SharpBpf.Elf;
using SharpBpf.Isa;

namespace SharpBpf.Loader.Internal;

/// <summary>
/// Classifies the relocations of every code section as libbpf's <c>bpf_program__record_reloc</c> does: a call
/// against <c>.text</c> (RELO_CALL), an lddw of a <c>.text</c> function's address (RELO_SUBPROG_ADDR), an lddw of a
/// map defined in <c>.maps</c>/<c>maps</c> at exactly the symbol's offset (RELO_LD64), or an lddw into a
/// global-data section (RELO_DATA, offset = symbol value + the instruction's immediate). Relocations of code
/// outside every function are skipped, as libbpf skips them. Anything else is an error at the relocation.
/// </summary>
internal static class RelocationCollector
{
    public static void Collect(LoadContext context)
    {
        foreach (var relocations in context.Elf.RelocationSections)
        {
            if (!context.CodeSections.TryGetValue(relocations.Target.Index, out var code))
                continue;
            foreach (var relocation in relocations.Relocations)
                Record(context, code, relocation);
        }
    }

    private static void Record(LoadContext context, CodeSection code, ElfRelocation relocation)
    {
        var section = code.Section;
        long at = (long)relocation.Offset;
        var symbol = relocation.Symbol;
        string symbolName = context.SymbolName(symbol);
        if (at % Instruction.Size != 0 || at / Instruction.Size >= code.Instructions.Length)
            context.Fail("bad relocation offset: not the start of an instruction", section, at, symbolName);
        int slot = (int)(at / Instruction.Size);
        if (code.FunctionContaining(slot) is null)
            return;
        if (code.Relocations.ContainsKey(slot))
            context.Fail("two relocations for one instruction", section, at, symbolName);
        var instruction = code.Instructions[slot];
        bool isCall = instruction.Opcode == Opcodes.Call;
        if (!isCall && !instruction.IsLoadImm64)
            context.Fail($"relocation against an instruction that is neither lddw nor call (opcode 0x{instruction.Opcode:x2})", section, at, symbolName);
        if (instruction.IsLoadImm64 && slot + 1 >= code.Instructions.Length)
            context.Fail("lddw is cut off by the end of the section", section, at, symbolName);
        if (symbol.IsUndefined && symbol.Index != 0 && context.Externs.TryGetValue(symbol.Name, out var binding))
        {
            RecordExtern(context, code, slot, instruction, binding, section, at, symbolName);
            return;
        }
        if (symbol.Index == 0 || symbol.IsUndefined)
            context.Fail(symbol.Index == 0 || symbol.Name.Length == 0
                ? "relocation against an unknown symbol"
                : $"relocation against an undefined (extern) symbol with no BTF (libbpf: failed to find BTF for extern '{symbolName}')", section, at, symbolName);
        if (!symbol.IsInSection)
            context.Fail($"relocation against a symbol in special section 0x{symbol.SectionIndex:x} (forgot to initialize a global variable?)", section, at, symbolName);

        var symbolSection = context.Elf.Sections[symbol.SectionIndex];
        bool inText = symbol.SectionIndex == context.TextSectionIndex;
        if (isCall)
        {
            if (instruction.Src != (byte)CallSource.Local)
                context.Fail("relocated call is not a bpf-to-bpf call (src must be 1)", section, at, symbolName);
            if (!inText)
                context.Fail($"call to a function in section '{symbolSection.Name}'; subprograms must be in .text", section, at, symbolName);
            if (symbol.Value % Instruction.Size != 0)
                context.Fail($"call target symbol is at offset {symbol.Value}, not an instruction", section, at, symbolName);
            long target = (long)(symbol.Value / Instruction.Size) + instruction.Immediate + 1;
            int targetSlot = CheckFunctionStart(context, section, at, symbolName, target);
            code.Relocations[slot] = new CodeRelocation(CodeRelocationKind.Call, -1, (long)symbol.Value, symbolName, targetSlot);
            return;
        }

        bool isSubprogram = inText && ((symbol.Binding == ElfSymbolBinding.Local && symbol.Type == ElfSymbolType.Section)
            || (symbol.Binding == ElfSymbolBinding.Global && symbol.Type == ElfSymbolType.Func));
        if (isSubprogram)
        {
            // clang leaves src 0 here; libbpf turns the lddw into BPF_PSEUDO_FUNC when it links.
            if (instruction.Src is not (0 or (byte)LoadImm64Source.Function))
                context.Fail($"lddw of a function address must have src 0 or 4 (BPF_PSEUDO_FUNC), not {instruction.Src}", section, at, symbolName);
            long byteOffset = (long)symbol.Value + instruction.Immediate;
            if (symbol.Value % Instruction.Size != 0 || byteOffset % Instruction.Size != 0)
                context.Fail($"function address {symbol.Value}+{instruction.Immediate} is not an instruction", section, at, symbolName);
            int targetSlot = CheckFunctionStart(context, section, at, symbolName, byteOffset / Instruction.Size);
            code.Relocations[slot] = new CodeRelocation(CodeRelocationKind.FunctionAddress, -1, (long)symbol.Value, symbolName, targetSlot);
            return;
        }
        if (instruction.Src == (byte)LoadImm64Source.Function)
            context.Fail($"lddw of a function address against '{symbolName}' in section '{symbolSection.Name}'; callbacks must be .text functions", section, at, symbolName);

        bool isMapSection = symbolSection.Name is ".maps" or "maps";
        for (int i = 0; i < context.Maps.Count; i++)
        {
            var (mapSection, mapOffset, _) = context.MapLocations[i];
            if (mapSection != symbol.SectionIndex)
                continue;
            if (isMapSection)
            {
                if (mapOffset != (long)symbol.Value)
                    continue;
                code.Relocations[slot] = new CodeRelocation(CodeRelocationKind.Map, i, 0, symbolName, -1);
                return;
            }
            long valueOffset = (long)symbol.Value + instruction.Immediate;
            if (valueOffset < 0 || valueOffset >= context.Maps[i].ValueSize)
                context.Fail($"bad relocation offset: {symbol.Value}+{instruction.Immediate} is outside the {context.Maps[i].ValueSize}-byte section '{symbolSection.Name}'", section, at, symbolName);
            code.Relocations[slot] = new CodeRelocation(CodeRelocationKind.Data, i, (long)symbol.Value, symbolName, -1);
            return;
        }
        context.Fail(isMapSection
            ? $"relocation against '{symbolName}' at offset {symbol.Value} of '{symbolSection.Name}', where no map is defined"
            : $"relocation against a symbol in section '{symbolSection.Name}', which is neither a map nor global data", section, at, symbolName);
    }

    /// <summary>
    /// libbpf's RELO_EXTERN_LD64 and RELO_EXTERN_CALL: a .kconfig extern becomes its slot of the .kconfig map, an
    /// unresolved weak kernel symbol the constant 0, a kfunc a reference the runtime resolves by name. A strong kernel
    /// symbol would need the kernel's BTF or kallsyms, which SharpBpf does not have: refused with libbpf's words for a
    /// symbol it cannot find (a typeless one is looked up in kallsyms: "not resolved"; a typed one in the kernel's BTF).
    /// </summary>
    private static void RecordExtern(LoadContext context, CodeSection code, int slot, Instruction instruction, ExternBinding binding,
        ElfSection section, long at, string symbolName)
    {
        bool isCall = instruction.Opcode == Opcodes.Call;
        switch (binding.Kind)
        {
            case ExternBindingKind.Kfunc:
                code.Relocations[slot] = new CodeRelocation(CodeRelocationKind.Kfunc, -1, 0, symbolName, -1);
                break;
            case ExternBindingKind.KernelSymbol when binding.IsWeak && !isCall:
                code.Relocations[slot] = new CodeRelocation(CodeRelocationKind.Zero, -1, 0, symbolName, -1);
                break;
            case ExternBindingKind.KernelSymbol when binding.IsTypeless:
                context.Fail($"extern '{symbolName}' (strong): not resolved (SharpBpf has no kernel symbols)", section, at, symbolName);
                break;
            case ExternBindingKind.KernelSymbol:
                context.Fail($"extern (var ksym) '{symbolName}': not found in kernel BTF (SharpBpf has no kernel symbols)", section, at, symbolName);
                break;
            case ExternBindingKind.Kconfig when !isCall:
                code.Relocations[slot] = new CodeRelocation(CodeRelocationKind.Data, binding.MapIndex, binding.Offset, symbolName, -1);
                break;
            default:
                context.Fail("call to a .kconfig extern", section, at, symbolName);
                break;
        }
    }

    private static int CheckFunctionStart(LoadContext context, ElfSection section, long at, string symbolName, long targetSlot)
    {
        if (context.TextSectionIndex < 0 || !context.CodeSections.TryGetValue(context.TextSectionIndex, out var text))
            return context.Fail<int>("call or function address, but the object has no .text code", section, at, symbolName);
        if (targetSlot < 0 || targetSlot >= text.Instructions.Length)
            return context.Fail<int>($"target slot {targetSlot} is outside .text ({text.Instructions.Length} slots)", section, at, symbolName);
        if (text.FunctionStartingAt((int)targetSlot) is null)
            return context.Fail<int>($"target .text slot {targetSlot} is not the start of a function", section, at, symbolName);
        return (int)targetSlot;
    }
}

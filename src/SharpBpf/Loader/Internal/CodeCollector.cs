using SharpBpf.Elf;
using SharpBpf.Isa;

namespace SharpBpf.Loader.Internal;

/// <summary>
/// Finds the executable sections and the functions in them (libbpf's <c>bpf_object__add_programs</c>): every
/// STT_FUNC symbol of a section, in offset order. A static function outside <c>.text</c> is refused, as libbpf does.
/// </summary>
internal static class CodeCollector
{
    public static void Collect(LoadContext context)
    {
        var elf = context.Elf;
        foreach (var section in elf.Sections)
        {
            if (section.Type != ElfSectionType.ProgBits || (section.Flags & ElfSectionFlags.ExecInstr) == 0 || section.Size == 0)
                continue;
            if (section.Size % Instruction.Size != 0)
                context.Fail($"code section size {section.Size} is not a multiple of {Instruction.Size}", section, (long)section.Size);
            var code = new CodeSection(section, Instruction.Decode(section.Data.Span));
            context.CodeSections.Add(section.Index, code);
            if (section.Name == ".text")
                context.TextSectionIndex = section.Index;
        }

        foreach (var symbol in elf.Symbols)
        {
            if (symbol.Type != ElfSymbolType.Func || !symbol.IsInSection)
                continue;
            if (!context.CodeSections.TryGetValue(symbol.SectionIndex, out var code))
                continue;
            var section = code.Section;
            string name = symbol.Name.Length > 0 ? symbol.Name : $"sub_{symbol.Value:x}";
            if (symbol.Value % Instruction.Size != 0 || symbol.Size % Instruction.Size != 0)
                context.Fail($"function at offset {symbol.Value} with size {symbol.Size} is not made of whole instructions", section, (long)symbol.Value, name);
            if (symbol.Size == 0)
                context.Fail("function has size 0", section, (long)symbol.Value, name);
            if (symbol.Value > section.Size || symbol.Size > section.Size - symbol.Value)
                context.Fail($"function [{symbol.Value}, +{symbol.Size}) crosses the end of the {section.Size}-byte section", section, (long)symbol.Value, name);
            if (!code.IsText && symbol.Binding == ElfSymbolBinding.Local)
                context.Fail("program is static and not supported (only .text may hold static functions)", section, (long)symbol.Value, name);
            int start = (int)(symbol.Value / Instruction.Size), count = (int)(symbol.Size / Instruction.Size);
            // libbpf treats a global function with hidden or internal visibility as static (mark_btf_static).
            bool isGlobal = symbol.Binding != ElfSymbolBinding.Local
                && symbol.Visibility is not (ElfSymbolVisibility.Hidden or ElfSymbolVisibility.Internal);
            code.Functions.Add(new CodeFunction(name, code, start, count, isGlobal, symbol));
        }

        foreach (var code in context.CodeSections.Values)
        {
            code.Functions.Sort((a, b) => a.StartSlot != b.StartSlot ? a.StartSlot.CompareTo(b.StartSlot) : a.Symbol.Index.CompareTo(b.Symbol.Index));
            for (int i = 1; i < code.Functions.Count; i++)
            {
                var (previous, current) = (code.Functions[i - 1], code.Functions[i]);
                if (current.StartSlot < previous.StartSlot + previous.SlotCount)
                    context.Fail($"function overlaps function '{previous.Name}'", code.Section, (long)current.StartSlot * Instruction.Size, current.Name);
            }
            if (code.Functions.Count == 0)
                context.Notes.Add($"section '{code.Section.Name}' has code but no function symbols; it is ignored");
        }
    }
}

using SharpBpf.Btf;
using SharpBpf.Elf;

namespace SharpBpf.Loader.Internal;

/// <summary>
/// What libbpf's <c>btf_fixup_datasec</c> does to the object's BTF before anything uses it: a compiler leaves
/// every DATASEC's size and variable offsets at 0, so the size comes from the ELF section and each variable's
/// offset from its ELF symbol (variables are then sorted by offset, as the kernel requires); a global variable
/// or function with hidden or internal visibility becomes static. DATASECs without an ELF section (<c>.kconfig</c>,
/// <c>.ksyms</c>) are left alone. The fixed BTF is what <see cref="CollectionSpec.Btf"/> holds and what the kernel
/// would be given.
/// </summary>
internal static class BtfFixup
{
    public static BtfSpec Apply(LoadContext context, BtfSpec btf)
    {
        BtfType[]? types = null;
        foreach (var type in btf.Types)
        {
            if (type is not BtfDataSection dataSection)
                continue;
            var section = context.Elf.FindSection(dataSection.Name);
            if (section is null)
                continue;
            if (section.Size > uint.MaxValue)
                context.Fail($"section of {section.Size} bytes is too large for its DATASEC", section, 0);
            types ??= [.. btf.Types];
            var variables = new List<BtfVarSecInfo>(dataSection.Variables.Length);
            foreach (var info in dataSection.Variables)
            {
                if (btf[info.TypeId] is not BtfVariable { Linkage: not BtfVariableLinkage.GlobalExtern } variable)
                {
                    variables.Add(info);
                    continue;
                }
                var symbol = context.SymbolsNamed(variable.Name, section.Index)
                    .FirstOrDefault(s => s.Type is ElfSymbolType.Object or ElfSymbolType.NoType);
                if (symbol is null)
                    return context.Fail<BtfSpec>($"DATASEC '{dataSection.Name}' variable has no ELF symbol in the section", section, 0, variable.Name);
                if (symbol.Value > uint.MaxValue)
                    context.Fail("variable offset does not fit 32 bits", section, 0, variable.Name);
                variables.Add(info with { Offset = dataSection.Size == 0 ? (uint)symbol.Value : info.Offset });
                if (variable.Linkage != BtfVariableLinkage.Static
                    && symbol.Visibility is ElfSymbolVisibility.Hidden or ElfSymbolVisibility.Internal)
                    types[variable.Id] = variable with { Linkage = BtfVariableLinkage.Static };
            }
            types[dataSection.Id] = dataSection with
            {
                Size = dataSection.Size == 0 ? (uint)section.Size : dataSection.Size,
                Variables = [.. variables.OrderBy(v => v.Offset)],
            };
        }
        foreach (var symbol in context.Elf.Symbols)
        {
            // libbpf's mark_btf_static: a global function the linker may not export is verified as a static one.
            if (symbol.Type != ElfSymbolType.Func || symbol.Binding == ElfSymbolBinding.Local
                || symbol.Visibility is not (ElfSymbolVisibility.Hidden or ElfSymbolVisibility.Internal))
                continue;
            foreach (var function in btf.FindAllByName(symbol.Name).OfType<BtfFunction>())
            {
                types ??= [.. btf.Types];
                types[function.Id] = function with { Linkage = BtfFunctionLinkage.Static };
            }
        }
        if (types is null)
            return btf;
        var offsets = new long[types.Length];
        for (int i = 0; i < offsets.Length; i++)
            offsets[i] = btf.OffsetOf((uint)i);
        try
        {
            return new BtfSpec(types, offsets, btf.Strings);
        }
        catch (ObjectLoadException e)
        {
            throw e.InFile(context.FileName);
        }
    }
}

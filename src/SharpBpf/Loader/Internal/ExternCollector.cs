using System.Collections.Immutable;
using SharpBpf.Btf;
using SharpBpf.Elf;
using SharpBpf.Maps;

namespace SharpBpf.Loader.Internal;

/// <summary>
/// The object's extern symbols, as libbpf's <c>bpf_object__collect_externs</c> sorts them out from their BTF: a VAR in
/// DATASEC <c>.kconfig</c> gets a slot of the <c>.kconfig</c> map (added after the global-data maps, as libbpf adds
/// it); a VAR in <c>.ksyms</c> is a kernel symbol, which SharpBpf has none of: a <c>__weak</c> one reads as 0 (libbpf's
/// rule for an unresolved weak ksym), a strong one is refused; a FUNC in <c>.ksyms</c> is a kfunc, which the runtime
/// resolves by name against the kfuncs it implements (Offset holds the FUNC's BTF id).
/// </summary>
internal static class ExternCollector
{
    public static void Collect(LoadContext context)
    {
        var externs = context.Elf.Symbols
            .Where(s => s.IsUndefined && s.Name.Length > 0 && s.Binding is ElfSymbolBinding.Global or ElfSymbolBinding.Weak)
            .ToList();
        if (externs.Count == 0)
            return;

        var kconfig = new List<(KconfigExtern Extern, int Align)>();
        foreach (var symbol in externs)
        {
            bool isWeak = symbol.Binding == ElfSymbolBinding.Weak;
            // libbpf refuses the whole object here; SharpBpf refuses only code that uses it (RelocationCollector).
            if (context.Btf is not { } btf || FindExternType(btf, symbol.Name) is not { } type)
                continue;

            string section = DataSectionOf(btf, type.Id) ?? "";
            if (type is BtfFunction)
            {
                // libbpf looks a kfunc up in the kernel's BTF; SharpBpf's runtime looks it up in its own kfunc table.
                context.Externs[symbol.Name] = new ExternBinding(ExternBindingKind.Kfunc, 0, isWeak, type.Id);
                continue;
            }

            var variable = (BtfVariable)type;
            if (section == ".kconfig")
            {
                kconfig.Add(Kconfig(context, btf, variable, isWeak));
            }
            else if (section == ".ksyms")
            {
                bool typeless = btf.SkipQualifiersAndTypedefs(variable.TypeId) is BtfVoid;
                context.Externs[symbol.Name] = new ExternBinding(ExternBindingKind.KernelSymbol, 0, isWeak, IsTypeless: typeless);
            }
            // Any other section: libbpf refuses the object ("unrecognized extern section"); SharpBpf refuses code that uses it.
        }

        if (kconfig.Count > 0)
            AddKconfigMap(context, kconfig);
    }

    private static BtfType? FindExternType(BtfSpec btf, string name)
    {
        foreach (var type in btf.Types)
        {
            if (type is BtfVariable { Linkage: BtfVariableLinkage.GlobalExtern } variable && variable.Name == name)
                return variable;
            if (type is BtfFunction { Linkage: BtfFunctionLinkage.Extern } function && function.Name == name)
                return function;
        }

        return null;
    }

    private static string? DataSectionOf(BtfSpec btf, uint typeId) =>
        btf.Types.OfType<BtfDataSection>().FirstOrDefault(d => d.Variables.Any(v => v.TypeId == typeId))?.Name;

    private static (KconfigExtern, int) Kconfig(LoadContext context, BtfSpec btf, BtfVariable variable, bool isWeak)
    {
        var (kind, isSigned) = KindOf(btf, variable.TypeId);
        if (kind is null)
            context.Fail($"extern (kcfg) '{variable.Name}': type is unsupported", symbol: variable.Name);
        btf.TrySizeOf(variable.TypeId, out long size);
        return (new KconfigExtern(variable.Name, 0, (uint)size, kind.Value, isSigned, isWeak), btf.AlignOf(variable.TypeId));
    }

    /// <summary>libbpf's <c>find_kcfg_type</c>: null when the type cannot hold a Kconfig value.</summary>
    private static (KconfigKind? Kind, bool IsSigned) KindOf(BtfSpec btf, uint typeId)
    {
        switch (btf.SkipQualifiersAndTypedefs(typeId))
        {
            case BtfInt integer when (integer.Encoding & BtfIntEncoding.Bool) != 0:
                return (integer.Size == 1 ? KconfigKind.Bool : null, false);
            case BtfInt integer:
                bool isSigned = (integer.Encoding & BtfIntEncoding.Signed) != 0;
                if (integer.Size == 1)
                    return (KconfigKind.Char, isSigned);
                return (integer.Size is 2 or 4 or 8 ? KconfigKind.Integer : null, isSigned);
            case BtfEnum { Name: "libbpf_tristate" } tristate when tristate.Is64 || tristate.Size == 4:
                return (KconfigKind.Tristate, false);
            case BtfArray { Count: > 0 } array when KindOf(btf, array.ElementTypeId).Kind == KconfigKind.Char:
                return (KconfigKind.CharArray, false);
            default:
                return (null, false);
        }
    }

    /// <summary>libbpf's layout: alignment descending, then size ascending, then name; each slot aligned; the map ends at the last slot.</summary>
    private static void AddKconfigMap(LoadContext context, List<(KconfigExtern Extern, int Align)> kconfig)
    {
        var ordered = kconfig
            .OrderByDescending(k => k.Align)
            .ThenBy(k => k.Extern.Size)
            .ThenBy(k => k.Extern.Name, StringComparer.Ordinal)
            .ToList();
        var placed = ImmutableArray.CreateBuilder<KconfigExtern>();
        uint offset = 0;
        foreach (var (item, align) in ordered)
        {
            offset = (offset + (uint)align - 1) / (uint)align * (uint)align;
            placed.Add(item with { Offset = offset });
            offset += item.Size;
        }

        int mapIndex = context.Maps.Count;
        context.Maps.Add(new MapSpec
        {
            Name = ObjectNames.InternalMapName(context.ObjectName, ".kconfig"),
            Type = MapType.Array,
            KeySize = 4,
            ValueSize = offset,
            MaxEntries = 1,
            Flags = MapCreateFlags.RdonlyProg,
            Source = MapSource.GlobalData,
            SectionName = ".kconfig",
            InitialData = ImmutableArray.Create(new byte[offset]),
        });
        // No ELF section holds the .kconfig map, so no relocation finds it by section.
        context.MapLocations.Add((-1, 0, offset));
        foreach (var item in placed)
            context.Externs[item.Name] = new ExternBinding(ExternBindingKind.Kconfig, mapIndex, item.IsWeak, item.Offset);
        context.Kconfig.AddRange(placed);
    }
}

internal enum ExternBindingKind
{
    Kconfig,
    KernelSymbol,
    Kfunc,
}

/// <summary>
/// What an extern symbol became: a slot of the .kconfig map (<see cref="MapIndex"/>, <see cref="Offset"/>), a kernel
/// symbol (<see cref="IsTypeless"/>: declared <c>void</c>, which libbpf looks up in kallsyms) or a kfunc (<see cref="Offset"/>:
/// its BTF FUNC id).
/// </summary>
internal readonly record struct ExternBinding(ExternBindingKind Kind, int MapIndex, bool IsWeak, uint Offset = 0, bool IsTypeless = false);

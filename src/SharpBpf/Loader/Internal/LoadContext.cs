using System.Diagnostics.CodeAnalysis;
using SharpBpf.Btf;
using SharpBpf.Elf;

namespace SharpBpf.Loader.Internal;

/// <summary>The object being loaded and what earlier stages found; every error goes through <see cref="Fail"/>.</summary>
internal sealed class LoadContext(ElfFile elf, string fileName)
{
    public ElfFile Elf { get; } = elf;
    public string FileName { get; } = fileName;
    public string ObjectName { get; } = ObjectNames.ObjectName(fileName);
    public BtfSpec? Btf { get; set; }
    public BtfExtSpec? BtfExt { get; set; }
    public List<string> Notes { get; } = [];

    /// <summary>Code sections by ELF section index.</summary>
    public SortedDictionary<int, CodeSection> CodeSections { get; } = [];

    public List<MapSpec> Maps { get; } = [];

    /// <summary>For each map in <see cref="Maps"/>: its ELF section index and offset there (libbpf's sec_idx/sec_offset).</summary>
    public List<(int SectionIndex, long Offset, long Size)> MapLocations { get; } = [];

    /// <summary>The BTF struct of each map defined in .maps, by map name.</summary>
    public Dictionary<string, BtfStruct> BtfMapDefinitions { get; } = [];

    private ILookup<string, ElfSymbol>? _symbolsByName;

    /// <summary>The symbols with this name that live in section <paramref name="sectionIndex"/>, in symbol-table order.</summary>
    public IEnumerable<ElfSymbol> SymbolsNamed(string name, int sectionIndex)
    {
        _symbolsByName ??= Elf.Symbols.Where(s => s.Name.Length > 0).ToLookup(s => s.Name, StringComparer.Ordinal);
        return _symbolsByName[name].Where(s => s.IsInSection && s.SectionIndex == sectionIndex);
    }

    public int TextSectionIndex { get; set; } = -1;

    /// <summary>Extern symbols by name, with what each became (<see cref="ExternCollector"/>).</summary>
    public Dictionary<string, ExternBinding> Externs { get; } = new(StringComparer.Ordinal);

    /// <summary>The <c>.kconfig</c> externs in their map layout.</summary>
    public List<KconfigExtern> Kconfig { get; } = [];

    [DoesNotReturn]
    public void Fail(string reason, ElfSection? section = null, long? offset = null, string? symbol = null) =>
        throw Elf.CreateError(reason, section, offset, symbol).InFile(FileName);

    [DoesNotReturn]
    public T Fail<T>(string reason, ElfSection? section = null, long? offset = null, string? symbol = null) =>
        throw Elf.CreateError(reason, section, offset, symbol).InFile(FileName);

    /// <summary>A symbol's display name: its own, or its section's for a section symbol.</summary>
    public string SymbolName(ElfSymbol symbol)
    {
        if (symbol.Name.Length > 0)
            return symbol.Name;
        var section = Elf.SectionOf(symbol);
        return section?.Name ?? $"#{symbol.Index}";
    }
}

/// <summary>An executable section: its decoded instructions, functions, and the relocations recorded against them.</summary>
internal sealed class CodeSection(ElfSection section, Isa.Instruction[] instructions)
{
    public ElfSection Section { get; } = section;

    /// <summary>The section's instructions, with CO-RE relocations applied in place.</summary>
    public Isa.Instruction[] Instructions { get; } = instructions;

    /// <summary>Functions sorted by start slot.</summary>
    public List<CodeFunction> Functions { get; } = [];

    /// <summary>Relocations by section slot.</summary>
    public Dictionary<int, CodeRelocation> Relocations { get; } = [];

    public bool IsText => Section.Name == ".text";

    private Dictionary<int, CodeFunction>? _byStart;

    public CodeFunction? FunctionStartingAt(int slot)
    {
        _byStart ??= Functions.GroupBy(f => f.StartSlot).ToDictionary(g => g.Key, g => g.First());
        return _byStart.GetValueOrDefault(slot);
    }

    /// <summary>Binary search over <see cref="Functions"/> (sorted by start, non-overlapping).</summary>
    public CodeFunction? FunctionContaining(int slot)
    {
        int low = 0, high = Functions.Count - 1;
        while (low <= high)
        {
            int middle = (low + high) >>> 1;
            var function = Functions[middle];
            if (slot < function.StartSlot)
                high = middle - 1;
            else if (slot >= function.StartSlot + function.SlotCount)
                low = middle + 1;
            else
                return function;
        }
        return null;
    }
}

/// <summary>One FUNC symbol's code.</summary>
internal sealed record CodeFunction(string Name, CodeSection Section, int StartSlot, int SlotCount, bool IsGlobal, Elf.ElfSymbol Symbol);

internal enum CodeRelocationKind
{
    /// <summary>A bpf-to-bpf call (RELO_CALL).</summary>
    Call,
    /// <summary>A function address load (RELO_SUBPROG_ADDR).</summary>
    FunctionAddress,
    /// <summary>A map reference (RELO_LD64).</summary>
    Map,
    /// <summary>A global-data reference (RELO_DATA), or a <c>.kconfig</c> extern's slot (RELO_EXTERN_LD64).</summary>
    Data,
    /// <summary>An unresolved <c>__weak</c> kernel symbol: the lddw loads 0.</summary>
    Zero,
    /// <summary>A kfunc call or an lddw of a kfunc's address (RELO_EXTERN_CALL / RELO_EXTERN_LD64), resolved by the runtime.</summary>
    Kfunc,
}

/// <summary>A relocation of one instruction. <see cref="TargetSlot"/> is the .text slot for calls and function addresses.</summary>
internal readonly record struct CodeRelocation(CodeRelocationKind Kind, int MapIndex, long SymbolOffset, string SymbolName, int TargetSlot);

using System.Collections.Immutable;
using SharpBpf.Btf;
using SharpBpf.Isa;

namespace SharpBpf.Loader;

/// <summary>
/// The blueprint of one program, linked as libbpf links it: the main function's instructions followed by every
/// subprogram it (transitively) calls or takes the address of, in the order libbpf appends them (depth first, at
/// the first call site); calls and function pointers point at the appended copies; map references are marked
/// (see <see cref="MapReference"/>); CO-RE relocations are applied against the object's own BTF.
/// Identical on every machine; nothing here is live.
/// </summary>
public sealed class ProgramSpec
{
    internal ProgramSpec(string name, string sectionName, string elfSectionName, bool isOptional, SectionConvention? convention,
        ImmutableArray<Instruction> instructions, ImmutableArray<ProgramFunction> functions, ImmutableArray<MapReference> mapReferences,
        ImmutableArray<FunctionPointerReference> functionPointers, ImmutableArray<BtfFuncInfo> funcInfo, ImmutableArray<BtfLineInfo> lineInfo,
        int sectionOffset, string? license, ImmutableArray<KfuncReference> kfuncReferences = default)
    {
        KfuncReferences = kfuncReferences.IsDefault ? [] : kfuncReferences;
        Name = name;
        SectionName = sectionName;
        ElfSectionName = elfSectionName;
        IsOptional = isOptional;
        Convention = convention;
        Instructions = instructions;
        Functions = functions;
        MapReferences = mapReferences;
        FunctionPointers = functionPointers;
        FuncInfo = funcInfo;
        LineInfo = lineInfo;
        SectionOffset = sectionOffset;
        License = license;
    }

    /// <summary>The function symbol's name.</summary>
    public string Name { get; }

    /// <summary>The section name as libbpf keeps it: without the leading '?' of an optional program.</summary>
    public string SectionName { get; }

    /// <summary>The section name exactly as in the ELF file (with '?').</summary>
    public string ElfSectionName { get; }

    /// <summary>Declared with <c>SEC("?…")</c>: libbpf does not load it unless asked (autoload off).</summary>
    public bool IsOptional { get; }

    /// <summary>The matched section convention, or null for an unrecognized section name.</summary>
    internal SectionConvention? Convention { get; }

    /// <summary><see cref="ProgramType.Unspecified"/> when the section name follows no known convention (libbpf refuses to load such a program).</summary>
    public ProgramType Type => Convention?.Type ?? ProgramType.Unspecified;

    /// <summary>The attach type the section name implies (<c>expected_attach_type</c>), or null when it implies none.</summary>
    public AttachType? ExpectedAttachType => Convention?.ExpectedAttachType;

    /// <summary>The <c>prog_flags</c> the section name implies (sleepable, XDP frags).</summary>
    public ProgramFlags Flags => Convention?.Flags ?? ProgramFlags.None;

    /// <summary>The kernel's name of the type: <c>xdp</c>, <c>sched_cls</c>, <c>socket_filter</c>, …</summary>
    public string TypeName => Type.ToKernelName();

    /// <summary>The linked program; lddw takes two slots.</summary>
    internal ImmutableArray<Instruction> Instructions { get; }

    /// <summary>The main function first (slot 0), then the appended subprograms in slot order.</summary>
    internal ImmutableArray<ProgramFunction> Functions { get; }

    /// <summary>Slots of the main function (the rest are appended subprograms).</summary>
    public int MainSlotCount => Functions[0].SlotCount;

    internal ImmutableArray<MapReference> MapReferences { get; }

    internal ImmutableArray<FunctionPointerReference> FunctionPointers { get; }

    /// <summary>Calls of kfuncs and loads of their addresses, in slot order, for a runtime to resolve by name.</summary>
    internal ImmutableArray<KfuncReference> KfuncReferences { get; }

    /// <summary>BTF func info remapped to the linked program: <see cref="BtfFuncInfo.InstructionOffset"/> is 8 × slot.</summary>
    internal ImmutableArray<BtfFuncInfo> FuncInfo { get; }

    /// <summary>BTF line info remapped to the linked program (8 × slot), in slot order.</summary>
    internal ImmutableArray<BtfLineInfo> LineInfo { get; }

    /// <summary>Byte offset of the main function within its ELF section.</summary>
    public int SectionOffset { get; }

    /// <summary>The object's license (null when the object has none).</summary>
    public string? License { get; }

    /// <summary>The function that contains <paramref name="slot"/>.</summary>
    internal ProgramFunction FunctionAt(int slot)
    {
        foreach (var function in Functions)
            if (slot >= function.StartSlot && slot < function.StartSlot + function.SlotCount)
                return function;
        throw new ArgumentOutOfRangeException(nameof(slot), slot, $"program '{Name}' has {Instructions.Length} slots");
    }

    /// <summary>The line info that covers <paramref name="slot"/> (the last record at or before it within the same function), or null.</summary>
    internal BtfLineInfo? LineAt(int slot)
    {
        if (slot < 0 || slot >= Instructions.Length)
            return null;
        int functionStart = FunctionAt(slot).StartSlot;
        BtfLineInfo? best = null;
        foreach (var line in LineInfo)
        {
            if (line.InstructionIndex > slot)
                break;
            best = line;
        }
        return best is not null && best.InstructionIndex >= functionStart ? best : null;
    }

    /// <summary>The name, section, type and instruction count.</summary>
    public override string ToString() => $"{Name} ({SectionName}, {TypeName}, {Instructions.Length} slots)";
}

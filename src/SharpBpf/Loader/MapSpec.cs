using System.Collections.Immutable;
using SharpBpf.Btf;
using SharpBpf.Maps;

namespace SharpBpf.Loader;

/// <summary>Where a map's definition came from.</summary>
public enum MapSource
{
    /// <summary>A BTF-defined map in <c>.maps</c> (<c>__uint(type, …)</c>, <c>__type(key, …)</c>).</summary>
    BtfMaps,

    /// <summary>A legacy <c>struct bpf_map_def</c> in the <c>maps</c> section (libbpf before 1.0).</summary>
    LegacyMaps,

    /// <summary>A global-data section (<c>.data*</c>, <c>.rodata*</c>, <c>.bss</c>) made into a one-element array.</summary>
    GlobalData,

    /// <summary>The inner-map template of a map-in-map (<c>__array(values, struct inner)</c>).</summary>
    InnerTemplate,
}

/// <summary>libbpf's <c>pinning</c> attribute.</summary>
public enum MapPinning : uint
{
    /// <summary>Not pinned.</summary>
    None = 0,
    /// <summary><c>LIBBPF_PIN_BY_NAME</c>: pinned under the map's name (the kernel engine pins it in a private bpffs directory).</summary>
    ByName = 1,
}

/// <summary>
/// A variable of a global-data section: where it lives in the map's single value. Offsets come from the ELF
/// symbols (libbpf's <c>btf_fixup_datasec</c>), because a compiler leaves the DATASEC offsets at 0.
/// </summary>
/// <param name="TypeId">The variable's BTF type (its VAR's target type).</param>
public readonly record struct GlobalVariable(string Name, uint Offset, uint Size, uint TypeId, string TypeName, bool IsStatic);

/// <summary>A declarative initial slot of a PROG_ARRAY or map-in-map (<c>.values = { [2] = &amp;prog }</c>).</summary>
/// <param name="Index">The key (slot index).</param>
/// <param name="TargetName">The program name (PROG_ARRAY) or map name (map-in-map).</param>
public readonly record struct MapInitialValue(uint Index, string TargetName);

/// <summary>
/// The blueprint of one map as libbpf would create it. Global-data maps are named like libbpf 1.x names them
/// (<c>&lt;first 8 chars of the object name&gt;.bss</c>, <c>.rodata.str1.1</c>, …), are ARRAYs with one element whose
/// value is the whole section, and carry the section's bytes in <see cref="InitialData"/>.
/// Deliberately does not adjust sizes the way libbpf does at creation time against the running kernel
/// (ring-buffer sizes rounded to pages, PERF_EVENT_ARRAY max_entries defaulted to the CPU count).
/// </summary>
public sealed record MapSpec
{
    /// <summary>The map's name as libbpf names it (the variable name; global data gets a derived name).</summary>
    public required string Name { get; init; }
    /// <summary>The map type.</summary>
    public required MapType Type { get; init; }
    /// <summary>Key size in bytes (0 for maps without keys: queues, stacks, ring buffers, Bloom filters).</summary>
    public required uint KeySize { get; init; }
    /// <summary>Value size in bytes (for global data: the whole section).</summary>
    public required uint ValueSize { get; init; }
    /// <summary>The <c>max_entries</c> attribute (the byte size for a ring buffer).</summary>
    public required uint MaxEntries { get; init; }
    /// <summary>The <c>map_flags</c> attribute.</summary>
    public MapCreateFlags Flags { get; init; }
    /// <summary>The <c>pinning</c> attribute.</summary>
    public MapPinning Pinning { get; init; }

    /// <summary>The <c>numa_node</c> attribute when given.</summary>
    public uint? NumaNode { get; init; }

    /// <summary>The <c>map_extra</c> attribute (the number of hash functions of a Bloom filter).</summary>
    public ulong MapExtra { get; init; }

    /// <summary>Where the definition came from (<c>.maps</c>, legacy <c>maps</c>, global data, an inner template).</summary>
    public required MapSource Source { get; init; }

    /// <summary>The ELF section the definition or data lives in (<c>.maps</c>, <c>maps</c>, <c>.bss</c>, …).</summary>
    public required string SectionName { get; init; }

    /// <summary>Byte offset of the definition (or 0 for global data) in <see cref="SectionName"/>.</summary>
    public long SectionOffset { get; init; }

    /// <summary>BTF type id of the key as the map is created (0 without BTF, and for map types whose kernel
    /// implementation refuses BTF — PROG_ARRAY, map-in-maps, queues, ring buffers… — which libbpf creates without it).</summary>
    public uint KeyTypeId { get; init; }

    /// <summary>BTF type id of the value as the map is created (0 as for <see cref="KeyTypeId"/>); for global data, the section's DATASEC.</summary>
    public uint ValueTypeId { get; init; }

    /// <summary>C-like name of the declared key type (<c>__u32</c>), or null without BTF; kept even when the id is 0.</summary>
    public string? KeyTypeName { get; init; }

    /// <summary>C-like name of the value type (<c>struct flow_state</c>), or null without BTF.</summary>
    public string? ValueTypeName { get; init; }

    /// <summary>Whether the value has BTF (<c>btf_value_type_id != 0</c> at creation); special fields need it.</summary>
    public bool HasBtf => ValueTypeId != 0;

    /// <summary>
    /// The kernel's special fields of the value (timers, spin locks, …) as <c>btf_parse_fields</c> finds them.
    /// For global data the fixed-up DATASEC is searched, as the kernel does.
    /// When <see cref="SpecialFieldLayout.Problem"/> is set the kernel records none (and its verifier later says
    /// "map 'X' has no valid bpf_timer"); the loader keeps the problem here and does not fail.
    /// </summary>
    internal SpecialFieldLayout SpecialFields { get; init; } = SpecialFieldLayout.Empty;

    /// <summary>For ARRAY_OF_MAPS / HASH_OF_MAPS: the inner map template (named <c>&lt;outer&gt;.inner</c>).</summary>
    public MapSpec? InnerMap { get; init; }

    /// <summary>Declarative initial slots (PROG_ARRAY → program names, map-in-map → map names), by index.</summary>
    public ImmutableArray<MapInitialValue> InitialValues { get; init; } = [];

    /// <summary>The value's initial bytes for global data (all zero for <c>.bss</c>); empty for other maps.</summary>
    public ImmutableArray<byte> InitialData { get; init; } = [];

    /// <summary>True for a map made from a <c>.data</c>, <c>.rodata</c> or <c>.bss</c> section.</summary>
    public bool IsGlobalData => Source == MapSource.GlobalData;

    /// <summary>For global data with BTF: the section's variables in offset order (empty otherwise).</summary>
    public ImmutableArray<GlobalVariable> Variables { get; init; } = [];

    /// <summary>
    /// Why the kernel's verifier would say "map 'X' has no valid bpf_timer" for this map (no value BTF, a layout
    /// the kernel rejects, or no timer in the value), or null when the value has a usable timer.
    /// </summary>
    public string? TimerProblem =>
        !HasBtf ? "the value has no BTF"
        : SpecialFields.Problem is { } problem ? problem
        : !SpecialFields.Has(Btf.SpecialFieldKind.Timer) ? $"the value type {ValueTypeName} has no bpf_timer"
        : null;

    /// <summary><c>.rodata*</c>: created with <c>BPF_F_RDONLY_PROG</c> (programs cannot write it) and frozen after initialization by libbpf.</summary>
    public bool IsReadOnly => (Flags & MapCreateFlags.RdonlyProg) != 0;

    /// <summary>The name with the attributes, as <c>name (type, key K, value V, max_entries N, flags 0xF)</c>.</summary>
    public override string ToString() =>
        $"{Name} ({Type.ToKernelName()}, key {KeySize}, value {ValueSize}, max_entries {MaxEntries}, flags 0x{(uint)Flags:x})";
}

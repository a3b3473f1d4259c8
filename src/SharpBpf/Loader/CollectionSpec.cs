using System.Collections.Immutable;
using SharpBpf.Btf;

namespace SharpBpf.Loader;

/// <summary>
/// Everything an object file declares, as deterministic blueprints: its programs (linked, in libbpf's order:
/// by section index, then offset; <c>.text</c> functions are subprograms, not programs), its maps (in libbpf's
/// order: legacy <c>maps</c>, then <c>.maps</c> in DATASEC order, then global data by section index), its license,
/// kernel version, and BTF. Made by <see cref="ObjectLoader"/>.
/// </summary>
public sealed class CollectionSpec
{
    internal CollectionSpec(string objectName, string? fileName, string? license, uint? kernelVersion,
        ImmutableArray<ProgramSpec> programs, ImmutableArray<MapSpec> maps, BtfSpec? btf, BtfExtSpec? btfExt,
        ImmutableArray<string> notes)
    {
        ObjectName = objectName;
        FileName = fileName;
        License = license;
        KernelVersion = kernelVersion;
        Programs = programs;
        Maps = maps;
        Btf = btf;
        BtfExt = btfExt;
        Notes = notes;
    }

    /// <summary>libbpf's object name: the file name (at most 15 characters) up to its first '.'.</summary>
    public string ObjectName { get; }

    /// <summary>The path the object was loaded from, or null for bytes loaded without one.</summary>
    public string? FileName { get; }

    /// <summary>The <c>license</c> section's string (at most 63 characters, as libbpf keeps it), or null when absent (libbpf accepts that; GPL-only helpers are then refused by the verifier).</summary>
    public string? License { get; }

    /// <summary>The 4-byte <c>version</c> section, when present.</summary>
    public uint? KernelVersion { get; }

    /// <summary>The programs, in libbpf's order (by section index, then offset).</summary>
    public ImmutableArray<ProgramSpec> Programs { get; }

    /// <summary>The maps, in libbpf's order (legacy <c>maps</c>, then <c>.maps</c>, then global data).</summary>
    public ImmutableArray<MapSpec> Maps { get; }

    /// <summary>The object's BTF after libbpf's DATASEC fix-up (sizes and variable offsets filled in from the ELF symbols).</summary>
    public BtfSpec? Btf { get; }

    internal BtfExtSpec? BtfExt { get; }

    /// <summary>Things libbpf would accept silently or warn about (no license, skipped sections, unknown program types).</summary>
    public ImmutableArray<string> Notes { get; }

    /// <summary>The <c>.kconfig</c> externs and their slots in the <c>.kconfig</c> map (empty when the object has none).</summary>
    internal ImmutableArray<KconfigExtern> KconfigExterns { get; init; } = [];

    /// <summary>The program called <paramref name="name"/> (its function name), or null.</summary>
    public ProgramSpec? FindProgram(string name) => Programs.FirstOrDefault(p => p.Name == name);

    /// <summary>The map called <paramref name="name"/>, or null.</summary>
    public MapSpec? FindMap(string name) => Maps.FirstOrDefault(m => m.Name == name);

    /// <summary>The index of the map named <paramref name="name"/> in <see cref="Maps"/>, or -1.</summary>
    public int IndexOfMap(string name)
    {
        for (int i = 0; i < Maps.Length; i++)
            if (Maps[i].Name == name)
                return i;
        return -1;
    }
}

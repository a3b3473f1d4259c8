namespace SharpBpf.Elf;

/// <summary>
/// A relocation section (<c>.rel&lt;name&gt;</c> or <c>.rela&lt;name&gt;</c>) with its entries, the section they
/// patch (<c>sh_info</c>) and the symbol table they use (<c>sh_link</c>).
/// </summary>
internal sealed class ElfRelocationSection
{
    internal ElfRelocationSection(ElfSection section, ElfSection target, IReadOnlyList<ElfRelocation> relocations)
    {
        Section = section;
        Target = target;
        Relocations = relocations;
    }

    public ElfSection Section { get; }
    public ElfSection Target { get; }
    public IReadOnlyList<ElfRelocation> Relocations { get; }

    /// <summary>True for SHT_RELA, whose entries carry explicit addends.</summary>
    public bool HasAddends => Section.Type == ElfSectionType.RelocationsWithAddends;

    public override string ToString() => $"{Section.Name} -> {Target.Name}: {Relocations.Count} relocations";
}

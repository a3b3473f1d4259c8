using System.Globalization;
using System.Text;
using SharpBpf.Loader;

namespace SharpBpf.Tests.Loader;

/// <summary>
/// Formats a <see cref="CollectionSpec"/> exactly as <c>Data/loader/libbpf_oracle.c</c> prints what libbpf made of
/// the same object (instructions after libbpf linked them, map references by map name).
/// </summary>
internal static class LibbpfGolden
{
    /// <summary>libbpf adds these to prog_flags only inside BPF_PROG_LOAD; <c>bpf_program__flags</c> never shows them.</summary>
    private const ProgramFlags LoadTimeFlags = ProgramFlags.Sleepable | ProgramFlags.XdpHasFrags;

    public static string Format(CollectionSpec spec, bool withInstructions)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.Append(c, $"object {spec.ObjectName}\n");
        foreach (var map in spec.Maps)
        {
            text.Append(c, $"map {map.Name} type={(uint)map.Type} key={map.KeySize} value={map.ValueSize} max_entries={map.MaxEntries} ")
                .Append(c, $"flags=0x{(uint)map.Flags:x} btf_key={map.KeyTypeId} btf_value={map.ValueTypeId}\n");
        }
        foreach (var program in spec.Programs)
        {
            text.Append(c, $"program {program.Name} section={program.SectionName} type={(uint)program.Type} ")
                .Append(c, $"attach={(uint)(program.ExpectedAttachType ?? 0)} flags=0x{(uint)(program.Flags & ~LoadTimeFlags):x} optional={(program.IsOptional ? 1 : 0)}\n");
            if (!withInstructions || program.IsOptional)
                continue;
            var instructions = program.Instructions;
            for (int i = 0; i < instructions.Length; i++)
            {
                var insn = instructions[i];
                string immediate = insn.Immediate.ToString(c);
                var reference = program.MapReferences.FirstOrDefault(r => r.Slot == i);
                if (reference.MapName is not null)
                    immediate = "map:" + reference.MapName;
                text.Append(c, $"  {i}: {insn.Opcode:x2} {insn.Dst} {insn.Src} {insn.Offset} {immediate}\n");
            }
        }
        return text.ToString();
    }
}

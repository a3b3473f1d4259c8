using SharpBpf.Isa;
using SharpBpf.Loader;
using SharpBpf.Maps;

namespace SharpBpf.Runtime;

/// <summary>
/// Puts live maps into a linked program, as the kernel does when it resolves map fds: an <c>lddw</c> that refers to
/// a map gets the map's handle (what helpers take in r1), one that refers to a map value gets the value's address.
/// </summary>
internal static class MapBinder
{
    public static Instruction[] Bind(ProgramSpec spec, IReadOnlyList<BpfMap> maps)
    {
        var program = KfuncLinker.Apply(spec, spec.Instructions.ToArray());
        foreach (var reference in spec.MapReferences)
        {
            var map = maps[reference.MapIndex];
            ulong value = reference.Kind switch
            {
                MapReferenceKind.Map => (ulong)map.Handle,
                _ when map is ArrayMap array => (ulong)array.ValueAddress(0) + reference.Offset,
                _ => throw new ObjectLoadException($"map '{map.Name}' has no directly addressable value", sectionName: spec.ElfSectionName),
            };
            var first = program[reference.Slot];
            program[reference.Slot] = new Instruction(Opcodes.Lddw, first.Dst, (byte)LoadImm64Source.Immediate, 0, (int)(uint)value);
            program[reference.Slot + 1] = new Instruction(0, 0, 0, 0, (int)(uint)(value >> 32));
        }

        return program;
    }
}

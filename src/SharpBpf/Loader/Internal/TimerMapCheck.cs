using System.Collections.Immutable;
using SharpBpf.Isa;

namespace SharpBpf.Loader.Internal;

/// <summary>
/// Finds a <c>bpf_timer_init(timer, &amp;map, flags)</c> whose map cannot hold a timer because its value has no
/// BTF (a legacy <c>maps</c> definition, or <c>value_size</c> without <c>__type(value, …)</c>), and reports it at
/// load time, where the kernel's verifier would say "map 'X' has no valid bpf_timer". A value WITH BTF whose
/// layout the kernel rejects (<see cref="SharpBpf.Btf.SpecialFieldLayout.Problem"/>) is left to the verifier, so
/// such objects can still be shown. Only the straight-line code before the call is looked at (the lddw that
/// sets r2); the verifier remains the complete check.
/// </summary>
internal static class TimerMapCheck
{
    private const int TimerInitHelper = 169;

    public static void Check(LoadContext context, ImmutableArray<ProgramSpec> programs)
    {
        foreach (var program in programs)
        {
            var instructions = program.Instructions;
            for (int slot = 0; slot < instructions.Length; slot++)
            {
                var call = instructions[slot];
                if (call.Opcode != Opcodes.Call || call.Src != (byte)CallSource.Helper || call.Immediate != TimerInitHelper)
                    continue;
                var reference = FindMapArgument(program, slot);
                if (reference is not { } map)
                    continue;
                var spec = context.Maps[map.MapIndex];
                if (spec.HasBtf)
                    continue;
                var function = program.FunctionAt(slot);
                long offset = function.SectionOffset + (long)(slot - function.StartSlot) * Instruction.Size;
                context.Fail($"bpf_timer_init with map '{spec.Name}', whose value is declared without BTF: the kernel can find no valid bpf_timer in it",
                    context.Elf.FindSection(function.SectionName), offset, spec.Name);
            }
        }
    }

    private static MapReference? FindMapArgument(ProgramSpec program, int callSlot)
    {
        var function = program.FunctionAt(callSlot);
        var instructions = program.Instructions;
        for (int slot = callSlot - 1; slot >= function.StartSlot; slot--)
        {
            var instruction = instructions[slot];
            if (instruction.Opcode == 0 && slot > function.StartSlot && instructions[slot - 1].IsLoadImm64)
                continue;
            var kind = instruction.Class;
            if (kind is InstructionClass.Jmp or InstructionClass.Jmp32)
                return null;
            if (instruction.Dst != 2 || kind is InstructionClass.St or InstructionClass.Stx)
                continue;
            foreach (var reference in program.MapReferences)
                if (reference.Slot == slot && reference.Kind == MapReferenceKind.Map)
                    return reference;
            return null;
        }
        return null;
    }
}

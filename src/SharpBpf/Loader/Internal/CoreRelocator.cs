using SharpBpf.Btf;
using SharpBpf.Isa;

namespace SharpBpf.Loader.Internal;

/// <summary>
/// Applies the CO-RE relocations of <c>.BTF.ext</c> to the section instructions, as libbpf's
/// <c>bpf_core_patch_insn</c> does, with the object's own BTF as the target: the value goes into the immediate of
/// an ALU instruction (BPF_K), the offset of a load/store, or the 64-bit constant of an lddw. Since the target is
/// the local BTF the compiler's value must already be right; where libbpf validates it, a mismatch is an error.
/// Records for code outside every function are skipped, as libbpf skips them.
/// </summary>
internal static class CoreRelocator
{
    public static void Apply(LoadContext context)
    {
        if (context.BtfExt is null || context.Btf is null)
            return;
        foreach (var block in context.BtfExt.CoreRelocations)
        {
            var code = context.CodeSections.Values.FirstOrDefault(c => c.Section.Name == block.SectionName);
            if (code is null)
            {
                context.Notes.Add($".BTF.ext has CO-RE relocations for section '{block.SectionName}', which holds no code; ignored");
                continue;
            }
            foreach (var relocation in block.Records)
                ApplyOne(context, code, relocation);
        }
    }

    private static void ApplyOne(LoadContext context, CodeSection code, BtfCoreRelocation relocation)
    {
        var section = code.Section;
        if (relocation.InstructionOffset % Instruction.Size != 0 || relocation.InstructionIndex >= code.Instructions.Length)
            context.Fail($"CO-RE relocation (.BTF.ext +0x{relocation.RecordOffset:x}) points at offset {relocation.InstructionOffset}, not an instruction of the section",
                section, relocation.InstructionOffset);
        int slot = relocation.InstructionIndex;
        if (code.FunctionContaining(slot) is null)
            return;

        BtfCoreResult result;
        try
        {
            result = BtfCoreResolver.Resolve(context.Btf!, relocation);
        }
        catch (ObjectLoadException e)
        {
            throw e.InFile(context.FileName);
        }

        var instruction = code.Instructions[slot];
        switch (instruction.Class)
        {
            case InstructionClass.Alu or InstructionClass.Alu64:
                if ((instruction.Opcode & 0x08) != 0)
                    context.Fail($"CO-RE relocation {relocation.Kind} on an ALU instruction with a register source", section, relocation.InstructionOffset);
                if (result.Validate && (long)instruction.Immediate != (long)result.Value && (uint)instruction.Immediate != result.Value)
                    Mismatch(context, code, relocation, "immediate", instruction.Immediate, result.Value);
                code.Instructions[slot] = instruction.WithImmediate(unchecked((int)result.Value));
                break;
            case InstructionClass.Ldx or InstructionClass.St or InstructionClass.Stx:
                if (result.Validate && instruction.Offset != (long)result.Value)
                    Mismatch(context, code, relocation, "offset", instruction.Offset, result.Value);
                if (result.Value > (ulong)short.MaxValue)
                    context.Fail($"CO-RE relocation {relocation.Kind}: offset {result.Value} does not fit an instruction", section, relocation.InstructionOffset);
                code.Instructions[slot] = instruction.WithOffset((short)result.Value);
                break;
            case InstructionClass.Ld when instruction.IsLoadImm64 && slot + 1 < code.Instructions.Length:
            {
                var high = code.Instructions[slot + 1];
                ulong current = (uint)instruction.Immediate | ((ulong)(uint)high.Immediate << 32);
                if (result.Validate && current != result.Value)
                    Mismatch(context, code, relocation, "constant", (long)current, result.Value);
                code.Instructions[slot] = instruction.WithImmediate(unchecked((int)result.Value));
                code.Instructions[slot + 1] = high.WithImmediate(unchecked((int)(result.Value >> 32)));
                break;
            }
            default:
                context.Fail($"CO-RE relocation {relocation.Kind} on an instruction (opcode 0x{instruction.Opcode:x2}) it cannot patch", section, relocation.InstructionOffset);
                break;
        }
    }

    private static void Mismatch(LoadContext context, CodeSection code, BtfCoreRelocation relocation, string what, long found, ulong expected) =>
        context.Fail($"CO-RE relocation {relocation.Kind} (type [{relocation.TypeId}], access \"{relocation.AccessString}\"): the instruction's {what} is {found}, the object's BTF gives {expected}",
            code.Section, relocation.InstructionOffset);
}

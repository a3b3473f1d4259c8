using SharpBpf.Isa;

namespace SharpBpf.Verifier;

/// <summary>
/// The kernel verifier's passes before the walk, in its order, with its words: check_subprogs (every jump stays in
/// its function, every function ends with exit or a jump), resolve_pseudo_ldimm64 (reserved LDX fields, the second
/// slot of lddw, its source, opcodes the kernel knows), and check_cfg (every instruction is reachable). Each finds
/// the first problem in slot order, and returns it (null when there is none).
/// </summary>
internal static class ProgramStructure
{
    public static Rejection? Check(Instruction[] code, IReadOnlyList<int> functionStarts) =>
        CheckFunctions(code, functionStarts) ?? CheckInstructions(code) ?? CheckReachable(code);

    private static Rejection? CheckFunctions(Instruction[] code, IReadOnlyList<int> functionStarts)
    {
        if (code.Length == 0)
        {
            return new Rejection(0, "last insn is not an exit or jmp");
        }

        int function = 0;
        for (var pc = 0; pc < code.Length; pc++)
        {
            while (function + 1 < functionStarts.Count && functionStarts[function + 1] <= pc)
            {
                function++;
            }

            int start = functionStarts[function];
            int end = function + 1 < functionStarts.Count ? functionStarts[function + 1] : code.Length;
            var insn = code[pc];
            if (IsJump(insn) && JumpTarget(insn, pc) is var target && (target < start || target >= end))
            {
                return new Rejection(pc, $"jump out of range from insn {pc} to {target}");
            }

            if (pc == end - 1 && insn.Opcode is not (Opcodes.Exit or Opcodes.Ja or Opcodes.Ja32))
            {
                return new Rejection(pc, "last insn is not an exit or jmp");
            }
        }

        return null;
    }

    private static Rejection? CheckInstructions(Instruction[] code)
    {
        for (var pc = 0; pc < code.Length; pc++)
        {
            var insn = code[pc];
            if (insn.Class == InstructionClass.Ldx && ((insn.Opcode & 0xe0) is not (0x60 or 0x80) || insn.Immediate != 0))
            {
                return new Rejection(pc, "BPF_LDX uses reserved fields");
            }

            if (insn.IsLoadImm64)
            {
                if (pc == code.Length - 1 || code[pc + 1] is { Opcode: not 0 } or { Dst: not 0 } or { Src: not 0 } or { Offset: not 0 })
                {
                    return new Rejection(pc, "invalid bpf_ld_imm64 insn");
                }

                if (insn.Src > 6)
                {
                    return new Rejection(pc, "unrecognized bpf_ld_imm64 insn");
                }

                pc++;
                continue;
            }

            // callx (BPF_JMP | BPF_CALL | BPF_X) is in the ISA but not in Linux 6.18's instruction table.
            if (OpcodeTable.ForOpcode(insn.Opcode).IsEmpty || insn.Opcode == Opcodes.Callx)
            {
                return new Rejection(pc, $"unknown opcode {insn.Opcode:x2}");
            }
        }

        return null;
    }

    /// <summary>check_cfg: a depth-first walk from slot 0 through jumps, calls and callback addresses.</summary>
    private static Rejection? CheckReachable(Instruction[] code)
    {
        var seen = new bool[code.Length];
        var pending = new Stack<int>();
        pending.Push(0);
        while (pending.TryPop(out int pc))
        {
            if ((uint)pc >= (uint)code.Length || seen[pc])
            {
                continue;
            }

            seen[pc] = true;
            var insn = code[pc];
            if (insn.IsLoadImm64)
            {
                seen[pc + 1] = true;
                if (insn.Src == (byte)LoadImm64Source.Function)
                {
                    pending.Push(pc + insn.Immediate + 1);
                }

                pending.Push(pc + 2);
                continue;
            }

            if (insn.Class is not (InstructionClass.Jmp or InstructionClass.Jmp32))
            {
                pending.Push(pc + 1);
                continue;
            }

            var op = (JumpOperation)(insn.Opcode & 0xf0);
            if (op == JumpOperation.Exit)
            {
                continue;
            }

            if (op == JumpOperation.Call)
            {
                if (insn.Src == (byte)CallSource.Local)
                {
                    pending.Push(pc + insn.Immediate + 1);
                }

                pending.Push(pc + 1);
                continue;
            }

            pending.Push((int)JumpTarget(insn, pc));
            if (op != JumpOperation.Ja)
            {
                pending.Push(pc + 1);
            }
        }

        int unreachable = Array.IndexOf(seen, false);
        if (unreachable >= 0)
        {
            return new Rejection(unreachable, $"unreachable insn {unreachable}");
        }

        return null;
    }

    private static bool IsJump(Instruction insn)
    {
        if (insn.Class is not (InstructionClass.Jmp or InstructionClass.Jmp32))
        {
            return false;
        }

        var op = (JumpOperation)(insn.Opcode & 0xf0);
        return op is not (JumpOperation.Call or JumpOperation.Exit);
    }

    private static long JumpTarget(Instruction insn, int pc) =>
        insn.Opcode == Opcodes.Ja32 ? pc + 1L + insn.Immediate : pc + 1L + insn.Offset;
}

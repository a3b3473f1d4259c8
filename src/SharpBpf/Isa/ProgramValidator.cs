namespace SharpBpf.Isa;

/// <summary>
/// Structural checks every engine relies on before it runs a program: each slot decodes through
/// <see cref="OpcodeTable"/>, <c>lddw</c> has its second slot, and every jump and local call lands on an
/// instruction inside the program, and — as the kernel demands — every subprogram ends with <c>exit</c> or an
/// unconditional jump, so control cannot fall from one function into the next. It does not track values or memory:
/// that is the verifier's job.
/// </summary>
internal static class ProgramValidator
{
    /// <summary>Throws <see cref="InvalidInstructionException"/> for the first problem found.</summary>
    public static void Validate(ReadOnlySpan<Instruction> program)
    {
        var error = FindFirstError(program);
        if (error is { } e)
        {
            throw new InvalidInstructionException(e.Index, e.Reason);
        }
    }

    /// <summary>The first problem in slot order, or null when the program is well-formed.</summary>
    public static (int Index, string Reason)? FindFirstError(ReadOnlySpan<Instruction> program)
    {
        if (program.IsEmpty)
        {
            return (0, "program is empty");
        }

        var isSecondSlot = new bool[program.Length];
        for (var pc = 0; pc < program.Length; pc++)
        {
            var insn = program[pc];
            if (OpcodeTable.Explain(insn) is { } reason)
            {
                return (pc, reason);
            }

            if (insn.IsLoadImm64)
            {
                if (pc + 1 >= program.Length)
                {
                    return (pc, "lddw is truncated: its second slot is missing");
                }

                var next = program[pc + 1];
                if (next.Opcode != 0 || next.Dst != 0 || next.Src != 0 || next.Offset != 0)
                {
                    return (pc + 1, "invalid second slot of lddw: opcode, registers and offset must be 0");
                }

                isSecondSlot[pc + 1] = true;
                pc++;
            }
        }

        for (var pc = 0; pc < program.Length; pc++)
        {
            if (isSecondSlot[pc] || JumpTarget(program[pc], pc) is not { } target)
            {
                continue;
            }

            if (target < 0 || target >= program.Length)
            {
                return (pc, $"jump out of range from insn {pc} to {target}");
            }

            if (isSecondSlot[target])
            {
                return (pc, $"jump from insn {pc} into the middle of lddw at {target - 1}");
            }
        }

        return FindFallThroughBetweenSubprograms(program, isSecondSlot);
    }

    /// <summary>
    /// Subprograms start at slot 0 and at every target of a local call or of a function-pointer <c>lddw</c>; the
    /// last instruction before the next start (or the end) must be <c>exit</c>, <c>ja</c> or <c>ja32</c>.
    /// </summary>
    private static (int Index, string Reason)? FindFallThroughBetweenSubprograms(ReadOnlySpan<Instruction> program, bool[] isSecondSlot)
    {
        var starts = new SortedSet<int> { 0 };
        for (var pc = 0; pc < program.Length; pc++)
        {
            var insn = program[pc];
            if (isSecondSlot[pc])
            {
                continue;
            }

            if (insn.Opcode == Opcodes.Call && insn.Src == (byte)CallSource.Local)
            {
                starts.Add(pc + 1 + insn.Immediate);
            }
            else if (insn.IsLoadImm64 && insn.Src == (byte)LoadImm64Source.Function)
            {
                var target = pc + 1L + insn.Immediate;
                if (target < 0 || target >= program.Length || isSecondSlot[target])
                {
                    return (pc, $"function pointer out of range from insn {pc} to {target}");
                }

                starts.Add((int)target);
            }
        }

        starts.Add(program.Length);
        var previous = -1;
        foreach (var start in starts)
        {
            if (previous >= 0 && start > 0)
            {
                var last = isSecondSlot[start - 1] ? start - 2 : start - 1;
                var opcode = program[last].Opcode;
                if (opcode is not (Opcodes.Exit or Opcodes.Ja or Opcodes.Ja32))
                {
                    return (last, "last insn is not an exit or jmp");
                }
            }

            previous = start;
        }

        return null;
    }

    /// <summary>The slot a jump or local call transfers to, or null for other instructions.</summary>
    public static long? JumpTarget(Instruction insn, int pc)
    {
        var cls = insn.Class;
        if (cls is not (InstructionClass.Jmp or InstructionClass.Jmp32))
        {
            return null;
        }

        var op = (JumpOperation)(insn.Opcode & 0xf0);
        return op switch
        {
            JumpOperation.Exit => null,
            JumpOperation.Call when insn.Opcode == Opcodes.Call && insn.Src == (byte)CallSource.Local => pc + 1L + insn.Immediate,
            JumpOperation.Call => null,
            JumpOperation.Ja when cls == InstructionClass.Jmp32 => pc + 1L + insn.Immediate,
            _ => pc + 1L + insn.Offset,
        };
    }
}

using SharpBpf.Helpers;
using SharpBpf.Isa;

namespace SharpBpf.Verifier;

/// <summary>
/// Which registers each instruction's continuation may still read (the kernel's compute_live_registers, 6.18):
/// a backward data flow over every function's instructions. Comparing two states at an instruction ignores the
/// registers not live there, since no later instruction can tell their values apart. A call does not flow into its
/// callee: each function is its own graph, and a call reads its arguments and writes R0–R5.
/// </summary>
internal static class RegisterLiveness
{
    private const ushort CallerSaved = 0b11_1111;
    private const ushort AllArguments = 0b11_1110;

    /// <summary>Per instruction, a bit per register live before it executes.</summary>
    public static ushort[] LiveBefore(Instruction[] code, IReadOnlyDictionary<int, HelperSignature> helpers)
    {
        var use = new ushort[code.Length];
        var def = new ushort[code.Length];
        var successors = new int[code.Length][];
        for (var pc = 0; pc < code.Length; pc++)
        {
            (use[pc], def[pc], successors[pc]) = Describe(code, pc, helpers);
            if (code[pc].IsLoadImm64 && pc + 1 < code.Length)
            {
                pc++;
                successors[pc] = [];
            }
        }

        var live = new ushort[code.Length];
        for (bool changed = true; changed;)
        {
            changed = false;
            for (var pc = code.Length - 1; pc >= 0; pc--)
            {
                ushort after = 0;
                foreach (var next in successors[pc])
                {
                    after |= live[next];
                }

                var before = (ushort)(use[pc] | (after & ~def[pc]));
                if (before != live[pc])
                {
                    live[pc] = before;
                    changed = true;
                }
            }
        }

        return live;
    }

    private static (ushort Use, ushort Def, int[] Successors) Describe(Instruction[] code, int pc, IReadOnlyDictionary<int, HelperSignature> helpers)
    {
        var insn = code[pc];
        ushort dst = Bit(insn.Dst), src = Bit(insn.Src);
        bool fromRegister = (insn.Opcode & 0x08) != 0;
        int[] next = Within(code, pc + 1);
        switch (insn.Class)
        {
            case InstructionClass.Alu or InstructionClass.Alu64:
                var op = (AluOperation)(insn.Opcode & 0xf0);
                if (op == AluOperation.Mov)
                {
                    return (fromRegister ? src : (ushort)0, dst, next);
                }

                return ((ushort)(dst | (fromRegister && op is not (AluOperation.Neg or AluOperation.End) ? src : 0)), dst, next);
            case InstructionClass.Ld:
                if (insn.IsLoadImm64)
                {
                    return (0, dst, Within(code, pc + 2));
                }

                // ld_abs / ld_ind read the packet through R6 and clobber R0–R5 as a call does.
                bool indirect = (insn.Opcode & 0xe0) == (byte)AccessMode.Ind;
                return ((ushort)(Bit(6) | (indirect ? src : 0)), CallerSaved, next);
            case InstructionClass.Ldx:
                return (src, dst, next);
            case InstructionClass.St:
                return (dst, 0, next);
            case InstructionClass.Stx:
                if ((insn.Opcode & 0xe0) != (byte)AccessMode.Atomic)
                {
                    return ((ushort)(dst | src), 0, next);
                }

                var atomic = (AtomicOperation)insn.Immediate;
                if (atomic == AtomicOperation.CmpXchg)
                {
                    return ((ushort)(dst | src | Bit(0)), Bit(0), next);
                }

                return ((ushort)(dst | src), ((int)atomic & 0x01) != 0 ? src : (ushort)0, next);
        }

        var jump = (JumpOperation)(insn.Opcode & 0xf0);
        bool is32 = insn.Class == InstructionClass.Jmp32;
        switch (jump)
        {
            case JumpOperation.Exit:
                return (Bit(0), 0, []);
            case JumpOperation.Call:
                ushort arguments = insn.Src == (byte)CallSource.Helper && helpers.TryGetValue(insn.Immediate, out var signature)
                    ? (ushort)(((1 << (signature.Arguments.Length + 1)) - 1) & AllArguments)
                    : insn.Src == (byte)CallSource.Kfunc && Helpers.Kfuncs.KfuncTable.TryGet(insn.Immediate, out var kfunc)
                        ? (ushort)(((1 << (kfunc.Prototype.Parameters.Length + 1)) - 1) & AllArguments)
                        : AllArguments;
                return (arguments, CallerSaved, next);
            case JumpOperation.Ja:
                return (0, 0, Within(code, pc + 1 + (is32 ? insn.Immediate : insn.Offset)));
            case JumpOperation.Jcond:
                // may_goto reads no register: its condition is the hidden loop budget.
                return (0, 0, [.. next, .. Within(code, pc + 1 + insn.Offset)]);
            default:
                return ((ushort)(dst | (fromRegister ? src : 0)), 0, [.. next, .. Within(code, pc + 1 + insn.Offset)]);
        }
    }

    private static int[] Within(Instruction[] code, int pc) => (uint)pc < (uint)code.Length ? [pc] : [];

    private static ushort Bit(int register) => register < 11 ? (ushort)(1 << register) : (ushort)0;
}

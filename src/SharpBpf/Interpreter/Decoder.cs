using System.Diagnostics;
using SharpBpf.Helpers;
using SharpBpf.Isa;

namespace SharpBpf.Interpreter;

/// <summary>
/// Turns a validated program into <see cref="DecodedInstruction"/>s plus a sentinel slot that faults with
/// "fell off the end". It does not validate: <see cref="ProgramValidator"/> has run before.
/// </summary>
internal static class Decoder
{
    /// <param name="needsCheck">Per slot, whether a memory access keeps its region check; one that does not is decoded
    /// as its <c>Proven</c> variant.</param>
    public static DecodedInstruction[] Decode(ReadOnlySpan<Instruction> program, List<int> helperIds, Func<int, bool> needsCheck)
    {
        // Pinned, so the loop can hold a raw pointer for the program's lifetime.
        var code = GC.AllocateArray<DecodedInstruction>(program.Length + 1, pinned: true);
        for (var pc = 0; pc < program.Length; pc++)
        {
            var insn = program[pc];
            var next = insn.IsLoadImm64 ? program[pc + 1] : default;
            code[pc] = DecodeOne(insn, next, pc, helperIds);
            if (!needsCheck(pc))
            {
                WithoutCheck(ref code[pc]);
            }
            if (insn.IsLoadImm64)
            {
                pc++;
                code[pc] = new DecodedInstruction { Op = Op.Unreachable };
            }
        }

        code[program.Length] = new DecodedInstruction { Op = Op.FellOffEnd };
        return code;
    }

    private static DecodedInstruction DecodeOne(Instruction insn, Instruction next, int pc, List<int> helperIds)
    {
        var d = new DecodedInstruction { Dst = insn.Dst, Src = insn.Src };
        var signExtended = (ulong)(long)insn.Immediate;
        var zeroExtended = (ulong)(uint)insn.Immediate;
        var opcode = insn.Opcode;
        switch (insn.Class)
        {
            case InstructionClass.Alu64:
            case InstructionClass.Alu:
                d.Op = AluOp(insn);
                d.Imm = insn.Class == InstructionClass.Alu64 ? signExtended : zeroExtended;
                break;

            case InstructionClass.Ld:
                if (opcode == Opcodes.Lddw)
                {
                    d.Op = Op.Lddw;
                    d.Imm = insn.Src == (byte)LoadImm64Source.Function
                        ? FunctionPointer.Encode((int)(pc + 1L + insn.Immediate))
                        : zeroExtended | ((ulong)(uint)next.Immediate << 32);
                }
                else
                {
                    var isAbs = (opcode & 0xe0) == (byte)AccessMode.Abs;
                    d.Op = ((AccessSize)(opcode & 0x18), isAbs) switch
                    {
                        (AccessSize.Byte, true) => Op.LdAbsB,
                        (AccessSize.Half, true) => Op.LdAbsH,
                        (AccessSize.Word, true) => Op.LdAbsW,
                        (AccessSize.Byte, false) => Op.LdIndB,
                        (AccessSize.Half, false) => Op.LdIndH,
                        _ => Op.LdIndW,
                    };
                    d.Imm = signExtended;
                }

                break;

            case InstructionClass.Ldx:
                d.Op = opcode switch
                {
                    Opcodes.LdxB => Op.LdxB,
                    Opcodes.LdxH => Op.LdxH,
                    Opcodes.LdxW => Op.LdxW,
                    Opcodes.LdxDw => Op.LdxDw,
                    Opcodes.LdxsB => Op.LdxsB,
                    Opcodes.LdxsH => Op.LdxsH,
                    _ => Op.LdxsW,
                };
                d.Imm = (ulong)(long)insn.Offset;
                break;

            case InstructionClass.St:
                d.Op = opcode switch
                {
                    Opcodes.StB => Op.StB,
                    Opcodes.StH => Op.StH,
                    Opcodes.StW => Op.StW,
                    _ => Op.StDw,
                };
                d.Imm = (ulong)(long)insn.Offset;
                d.Target = insn.Immediate;
                break;

            case InstructionClass.Stx:
                d.Op = opcode switch
                {
                    Opcodes.StxB => Op.StxB,
                    Opcodes.StxH => Op.StxH,
                    Opcodes.StxW => Op.StxW,
                    Opcodes.StxDw => Op.StxDw,
                    Opcodes.AtomicW => AtomicOp((AtomicOperation)insn.Immediate, Op.AtomicAdd32),
                    _ => AtomicOp((AtomicOperation)insn.Immediate, Op.AtomicAdd64),
                };
                d.Imm = (ulong)(long)insn.Offset;
                break;

            default:
                DecodeJump(insn, pc, helperIds, ref d, signExtended, zeroExtended);
                break;
        }

        return d;
    }

    private static void DecodeJump(Instruction insn, int pc, List<int> helperIds, ref DecodedInstruction d, ulong signExtended, ulong zeroExtended)
    {
        var opcode = insn.Opcode;
        switch (opcode)
        {
            case Opcodes.Ja:
                d.Op = Op.Ja;
                d.Target = 1 + insn.Offset;
                return;
            case Opcodes.Ja32:
                d.Op = Op.Ja;
                d.Target = 1 + insn.Immediate;
                return;
            case Opcodes.MayGoto:
                d.Op = Op.MayGoto;
                d.Target = 1 + insn.Offset;
                return;
            case Opcodes.Exit:
                d.Op = Op.Exit;
                return;
            case Opcodes.Callx:
                d.Op = Op.Callx;
                return;
            case Opcodes.Call:
                switch ((CallSource)insn.Src)
                {
                    case CallSource.Local:
                        d.Op = Op.CallLocal;
                        d.Target = (int)(pc + 1L + insn.Immediate);
                        break;
                    case CallSource.Kfunc:
                        d.Op = Op.CallKfunc;
                        d.Imm = zeroExtended;
                        break;
                    default:
                        d.Op = Op.CallHelper;
                        d.Imm = zeroExtended;
                        d.Target = helperIds.Count;
                        helperIds.Add(insn.Immediate);
                        break;
                }

                return;
        }

        var is32 = insn.Class == InstructionClass.Jmp32;
        var isReg = (opcode & 0x08) != 0;
        var index = ((JumpOperation)(opcode & 0xf0)) switch
        {
            JumpOperation.Jeq => 0,
            JumpOperation.Jgt => 1,
            JumpOperation.Jge => 2,
            JumpOperation.Jset => 3,
            JumpOperation.Jne => 4,
            JumpOperation.Jsgt => 5,
            JumpOperation.Jsge => 6,
            JumpOperation.Jlt => 7,
            JumpOperation.Jle => 8,
            JumpOperation.Jslt => 9,
            JumpOperation.Jsle => 10,
            var other => throw new UnreachableException($"jump operation {other} passed validation"),
        };
        d.Op = (Op)((byte)(is32 ? Op.Jeq32Imm : Op.Jeq64Imm) + index * 2 + (isReg ? 1 : 0));
        d.Target = 1 + insn.Offset;
        d.Imm = is32 ? zeroExtended : signExtended;
    }

    private static Op AluOp(Instruction insn)
    {
        var is64 = insn.Class == InstructionClass.Alu64;
        var isReg = (insn.Opcode & 0x08) != 0;
        var operation = (AluOperation)(insn.Opcode & 0xf0);
        switch (operation)
        {
            case AluOperation.Neg:
                return is64 ? Op.Neg64 : Op.Neg32;
            case AluOperation.End:
                return (insn.Opcode, insn.Immediate) switch
                {
                    (Opcodes.ToLe, 16) => Op.Le16,
                    (Opcodes.ToLe, 32) => Op.Le32,
                    (Opcodes.ToLe, _) => Op.Le64,
                    (_, 16) => Op.Swap16,
                    (_, 32) => Op.Swap32,
                    _ => Op.Swap64,
                };
            case AluOperation.Mov when isReg && insn.Offset != 0:
                return (is64, insn.Offset) switch
                {
                    (true, 8) => Op.Movsx8To64,
                    (true, 16) => Op.Movsx16To64,
                    (true, _) => Op.Movsx32To64,
                    (false, 8) => Op.Movsx8To32,
                    _ => Op.Movsx16To32,
                };
        }

        var signed = insn.Offset == 1;
        var immForm = (operation, is64) switch
        {
            (AluOperation.Add, true) => Op.Add64Imm,
            (AluOperation.Sub, true) => Op.Sub64Imm,
            (AluOperation.Mul, true) => Op.Mul64Imm,
            (AluOperation.Div, true) => signed ? Op.Sdiv64Imm : Op.Div64Imm,
            (AluOperation.Or, true) => Op.Or64Imm,
            (AluOperation.And, true) => Op.And64Imm,
            (AluOperation.Lsh, true) => Op.Lsh64Imm,
            (AluOperation.Rsh, true) => Op.Rsh64Imm,
            (AluOperation.Mod, true) => signed ? Op.Smod64Imm : Op.Mod64Imm,
            (AluOperation.Xor, true) => Op.Xor64Imm,
            (AluOperation.Mov, true) => Op.Mov64Imm,
            (AluOperation.Arsh, true) => Op.Arsh64Imm,
            (AluOperation.Add, false) => Op.Add32Imm,
            (AluOperation.Sub, false) => Op.Sub32Imm,
            (AluOperation.Mul, false) => Op.Mul32Imm,
            (AluOperation.Div, false) => signed ? Op.Sdiv32Imm : Op.Div32Imm,
            (AluOperation.Or, false) => Op.Or32Imm,
            (AluOperation.And, false) => Op.And32Imm,
            (AluOperation.Lsh, false) => Op.Lsh32Imm,
            (AluOperation.Rsh, false) => Op.Rsh32Imm,
            (AluOperation.Mod, false) => signed ? Op.Smod32Imm : Op.Mod32Imm,
            (AluOperation.Xor, false) => Op.Xor32Imm,
            (AluOperation.Mov, false) => Op.Mov32Imm,
            (AluOperation.Arsh, false) => Op.Arsh32Imm,
            var other => throw new UnreachableException($"ALU operation {other} passed validation"),
        };

        // Every register form directly follows its immediate form in Op.
        return isReg ? immForm + 1 : immForm;
    }

    /// <summary>A load, store or atomic the verifier proved becomes its variant without the check; other ops stay.</summary>
    private static void WithoutCheck(ref DecodedInstruction d)
    {
        switch (d.Op)
        {
            case >= Op.LdxB and <= Op.LdxsW:
                d.Op = Op.ProvenLdxB + (d.Op - Op.LdxB);
                break;
            case >= Op.StB and <= Op.StxDw:
                d.Op = Op.ProvenStB + (d.Op - Op.StB);
                break;
            case >= Op.AtomicAdd32 and <= Op.AtomicCmpXchg32:
                d.Target = (int)d.Op;
                d.Op = Op.ProvenAtomic32;
                break;
            case >= Op.AtomicAdd64 and <= Op.AtomicCmpXchg64:
                d.Target = (int)d.Op;
                d.Op = Op.ProvenAtomic64;
                break;
        }
    }

    private static Op AtomicOp(AtomicOperation operation, Op first) => (Op)((byte)first + operation switch
    {
        AtomicOperation.Add => 0,
        AtomicOperation.Or => 1,
        AtomicOperation.And => 2,
        AtomicOperation.Xor => 3,
        AtomicOperation.FetchAdd => 4,
        AtomicOperation.FetchOr => 5,
        AtomicOperation.FetchAnd => 6,
        AtomicOperation.FetchXor => 7,
        AtomicOperation.Xchg => 8,
        _ => 9,
    });
}

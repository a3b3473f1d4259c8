using System.Globalization;
using SharpBpf.Isa;

namespace SharpBpf.Asm;

/// <summary>
/// Prints instructions in the C-like syntax of <c>llvm-objdump -d --mcpu=v4</c> for BPF (LLVM 19):
/// <c>r0 = 0x1</c>, <c>w0 += w1</c>, <c>if r1 &gt; 0x2 goto +0x3</c>, <c>r1 = *(u32 *)(r2 + 0x8)</c>,
/// <c>lock *(u64 *)(r10 - 0x8) += r1</c>, <c>r1 = 0x1122334455667788 ll</c>. Numbers are signed hex, as llvm prints them.
/// </summary>
/// <remarks>
/// Deliberately not done: symbolization (llvm appends <c>&lt;LBB0_2&gt;</c> to jumps; that needs symbols), and
/// llvm's habit of printing <c>&lt;unknown&gt;</c> — an instruction the table rejects prints
/// <c>&lt;invalid: reason&gt;</c>, and llvm prints some of those (a reserved field set) as if valid. Two deliberate
/// deviations keep information llvm drops: <c>ldind</c> with a non-zero immediate prints <c>skb[r1 + 0x4]</c>, and a
/// kfunc call with a non-zero offset prints <c>call 0x4d, 0x3</c>. The pseudo <c>lddw</c> kinds print as llvm's
/// <c>ld_pseudo</c>, which shows only the first slot's immediate. Meant to be reused by the kernel-style verifier log.
/// </remarks>
internal sealed class LlvmSyntaxFormatter : IInstructionFormatter
{
    public static LlvmSyntaxFormatter Instance { get; } = new();

    public string Format(Instruction insn, Instruction? next, int pc)
    {
        if (!FormatterDecoding.TryDecode(insn, next, out var row, out var invalid))
        {
            return invalid;
        }

        return row.Form switch
        {
            InstructionForm.AluImm or InstructionForm.AluReg or InstructionForm.AluUnary => Alu(row, insn),
            InstructionForm.Endian => $"r{insn.Dst} = {row.Mnemonic} r{insn.Dst}",
            InstructionForm.LoadImm64 => LoadImm64(row, insn, next!.Value),
            InstructionForm.LoadPacketAbs => $"r0 = *({Unsigned(row)} *)skb[{Hex(insn.Immediate)}]",
            InstructionForm.LoadPacketInd => insn.Immediate == 0
                ? $"r0 = *({Unsigned(row)} *)skb[r{insn.Src}]"
                : $"r0 = *({Unsigned(row)} *)skb[r{insn.Src} {SignedTerm(insn.Immediate)}]",
            InstructionForm.Load => Load(row, insn),
            InstructionForm.StoreImm => $"*({Unsigned(row)} *){Address(insn.Dst, insn.Offset)} = {Hex(insn.Immediate)}",
            InstructionForm.StoreReg => $"*({Unsigned(row)} *){Address(insn.Dst, insn.Offset)} = {Reg(row.AccessBytes < 8, insn.Src)}",
            InstructionForm.Atomic => Atomic(row, insn),
            InstructionForm.Jump => $"{(insn.Opcode == Opcodes.MayGoto ? "may_goto" : "goto")} {Target(insn.Offset)}",
            InstructionForm.JumpLong => $"gotol {Target(insn.Immediate)}",
            InstructionForm.CondJumpImm => $"if {Reg(row.Is32Bit, insn.Dst)} {Condition(row)} {Hex(insn.Immediate)} goto {Target(insn.Offset)}",
            InstructionForm.CondJumpReg => $"if {Reg(row.Is32Bit, insn.Dst)} {Condition(row)} {Reg(row.Is32Bit, insn.Src)} goto {Target(insn.Offset)}",
            InstructionForm.CallHelper or InstructionForm.CallLocal => $"call {Hex(insn.Immediate)}",
            InstructionForm.CallKfunc => insn.Offset == 0 ? $"call {Hex(insn.Immediate)}" : $"call {Hex(insn.Immediate)}, {Hex(insn.Offset)}",
            InstructionForm.CallReg => $"callx r{insn.Dst}",
            InstructionForm.Exit => "exit",
            _ => FormatterDecoding.Invalid($"no llvm syntax for {row.FullMnemonic}"),
        };
    }

    private static string Alu(OpcodeInfo row, Instruction insn)
    {
        var is32 = row.Is32Bit;
        var dst = Reg(is32, insn.Dst);
        var op = (AluOperation)(row.Opcode & 0xf0);
        if (op == AluOperation.Neg)
        {
            return $"{dst} = -{dst}";
        }

        var source = row.Form == InstructionForm.AluImm ? Hex(insn.Immediate) : Reg(is32, insn.Src);
        if (row.Mnemonic.StartsWith("movsx", StringComparison.Ordinal))
        {
            return $"{dst} = (s{row.Offset.FixedValue}){source}";
        }

        var isSigned = !row.Offset.IsOperand && row.Offset.FixedValue == 1;
        var symbol = op switch
        {
            AluOperation.Add => "+=",
            AluOperation.Sub => "-=",
            AluOperation.Mul => "*=",
            AluOperation.Div => isSigned ? "s/=" : "/=",
            AluOperation.Or => "|=",
            AluOperation.And => "&=",
            AluOperation.Lsh => "<<=",
            AluOperation.Rsh => ">>=",
            AluOperation.Mod => isSigned ? "s%=" : "%=",
            AluOperation.Xor => "^=",
            AluOperation.Mov => "=",
            _ => "s>>=",
        };
        return $"{dst} {symbol} {source}";
    }

    private static string LoadImm64(OpcodeInfo row, Instruction insn, Instruction next)
    {
        if (insn.Src != (byte)LoadImm64Source.Immediate)
        {
            return $"ld_pseudo\tr{insn.Dst}, {Hex(insn.Src)}, {Hex((uint)insn.Immediate)}";
        }

        return $"r{insn.Dst} = {Hex(unchecked((long)FormatterDecoding.Wide(insn, next)))} ll";
    }

    private static string Load(OpcodeInfo row, Instruction insn)
    {
        var signExtending = (row.Opcode & 0xe0) == (byte)AccessMode.MemSx;
        var type = signExtending ? $"s{row.AccessBytes * 8}" : Unsigned(row);
        var narrow = !signExtending && row.AccessBytes < 8;
        return $"{Reg(narrow, insn.Dst)} = *({type} *){Address(insn.Src, insn.Offset)}";
    }

    private static string Atomic(OpcodeInfo row, Instruction insn)
    {
        var is32 = row.AccessBytes == 4;
        var type = Unsigned(row);
        var address = Address(insn.Dst, insn.Offset);
        var src = Reg(is32, insn.Src);
        var operation = (AtomicOperation)row.Immediate.FixedValue;
        var bits = is32 ? "32_32" : "_64";
        return operation switch
        {
            AtomicOperation.Add => $"lock *({type} *){address} += {src}",
            AtomicOperation.Or => $"lock *({type} *){address} |= {src}",
            AtomicOperation.And => $"lock *({type} *){address} &= {src}",
            AtomicOperation.Xor => $"lock *({type} *){address} ^= {src}",
            AtomicOperation.FetchAdd => $"{src} = atomic_fetch_add(({type} *){address}, {src})",
            AtomicOperation.FetchOr => $"{src} = atomic_fetch_or(({type} *){address}, {src})",
            AtomicOperation.FetchAnd => $"{src} = atomic_fetch_and(({type} *){address}, {src})",
            AtomicOperation.FetchXor => $"{src} = atomic_fetch_xor(({type} *){address}, {src})",
            AtomicOperation.Xchg => $"{src} = xchg{bits}({address[1..^1]}, {src})",
            _ => $"{Reg(is32, 0)} = cmpxchg{bits}({address[1..^1]}, {Reg(is32, 0)}, {src})",
        };
    }

    private static string Condition(OpcodeInfo row) => (JumpOperation)(row.Opcode & 0xf0) switch
    {
        JumpOperation.Jeq => "==",
        JumpOperation.Jgt => ">",
        JumpOperation.Jge => ">=",
        JumpOperation.Jset => "&",
        JumpOperation.Jne => "!=",
        JumpOperation.Jsgt => "s>",
        JumpOperation.Jsge => "s>=",
        JumpOperation.Jlt => "<",
        JumpOperation.Jle => "<=",
        JumpOperation.Jslt => "s<",
        _ => "s<=",
    };

    private static string Reg(bool is32, int register) => (is32 ? "w" : "r") + register.ToString(CultureInfo.InvariantCulture);

    private static string Unsigned(OpcodeInfo row) => $"u{row.AccessBytes * 8}";

    private static string Address(int register, short offset) => $"(r{register} {SignedTerm(offset)})";

    private static string SignedTerm(long value) => value < 0 ? $"- 0x{(ulong)-value:x}" : $"+ 0x{value:x}";

    private static string Target(long delta) => delta < 0 ? $"-0x{(ulong)-delta:x}" : $"+0x{delta:x}";

    /// <summary>Signed hex as llvm prints immediates: <c>0x5</c>, <c>-0x5</c>, <c>-0x8000000000000000</c>.</summary>
    internal static string Hex(long value) =>
        value < 0 ? $"-0x{unchecked(0UL - (ulong)value):x}" : $"0x{value:x}";
}

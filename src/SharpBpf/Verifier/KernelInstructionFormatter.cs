using System.Globalization;
using SharpBpf.Helpers;
using SharpBpf.Isa;

namespace SharpBpf.Verifier;

/// <summary>
/// One instruction as the kernel's verifier log prints it (kernel/bpf/disasm.c): <c>(07) r2 += -4</c>,
/// <c>(63) *(u32 *)(r10 -4) = r6</c>, <c>(15) if r0 == 0x0 goto pc+6</c>, <c>(85) call bpf_timer_init#169</c>.
/// Map loads print the map's name where the kernel prints its kernel address.
/// </summary>
internal static class KernelInstructionFormatter
{
    private static readonly string[] AluSymbols =
        ["+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=", "endian"];

    private static readonly string[] JumpSymbols =
        ["goto", "==", ">", ">=", "&", "!=", "s>", "s>=", "call", "exit", "<", "<=", "s<", "s<="];

    public static string Format(Instruction insn, Instruction? next, Func<int, string?>? mapName = null, int pc = 0)
    {
        var text = FormatBody(insn, next, mapName, pc);
        return $"({insn.Opcode:x2}) {text}";
    }

    private static string FormatBody(Instruction insn, Instruction? next, Func<int, string?>? mapName, int pc)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (insn.Class)
        {
            case InstructionClass.Alu or InstructionClass.Alu64:
                return Alu(insn);
            case InstructionClass.Stx when (insn.Opcode & 0xe0) == (byte)AccessMode.Atomic:
                return Atomic(insn);
            case InstructionClass.Stx:
                return string.Create(inv, $"*({Size(insn)} *)(r{insn.Dst} {insn.Offset:+0;-0}) = r{insn.Src}");
            case InstructionClass.St:
                return string.Create(inv, $"*({Size(insn)} *)(r{insn.Dst} {insn.Offset:+0;-0}) = {insn.Immediate}");
            case InstructionClass.Ldx:
                string sign = (insn.Opcode & 0xe0) == (byte)AccessMode.MemSx ? "s" : "u";
                return string.Create(inv, $"r{insn.Dst} = *({sign}{Size(insn)[1..]} *)(r{insn.Src} {insn.Offset:+0;-0})");
            case InstructionClass.Ld when insn.IsLoadImm64:
                if (mapName?.Invoke(pc) is { } name)
                {
                    return $"r{insn.Dst} = map[{name}]";
                }

                ulong value = (uint)insn.Immediate | ((ulong)(uint)(next?.Immediate ?? 0) << 32);
                return string.Create(inv, $"r{insn.Dst} = 0x{value:x}");
            case InstructionClass.Ld:
                bool indirect = (insn.Opcode & 0xe0) == (byte)AccessMode.Ind;
                return indirect
                    ? string.Create(inv, $"r0 = *({Size(insn)} *)skb[r{insn.Src} + {insn.Immediate}]")
                    : string.Create(inv, $"r0 = *({Size(insn)} *)skb[{insn.Immediate}]");
            default:
                return Jump(insn);
        }
    }

    private static string Size(Instruction insn) => ((AccessSize)(insn.Opcode & 0x18)) switch
    {
        AccessSize.Byte => "u8",
        AccessSize.Half => "u16",
        AccessSize.Word => "u32",
        _ => "u64",
    };

    private static string Alu(Instruction insn)
    {
        var inv = CultureInfo.InvariantCulture;
        bool is64 = insn.Class == InstructionClass.Alu64;
        char r = is64 ? 'r' : 'w';
        var op = (AluOperation)(insn.Opcode & 0xf0);
        bool fromRegister = (insn.Opcode & 0x08) != 0;
        if (op == AluOperation.End)
        {
            string kind = is64 ? "bswap" : fromRegister ? "be" : "le";
            return string.Create(inv, $"r{insn.Dst} = {kind}{insn.Immediate} r{insn.Dst}");
        }

        if (op == AluOperation.Neg)
        {
            return $"{r}{insn.Dst} = -{r}{insn.Dst}";
        }

        if (op == AluOperation.Mov && insn.Offset is 8 or 16 or 32)
        {
            return string.Create(inv, $"{r}{insn.Dst} = (s{insn.Offset}){r}{insn.Src}");
        }

        string symbol = AluSymbols[(int)op >> 4];
        if (insn.Offset == 1 && op is AluOperation.Div or AluOperation.Mod)
        {
            symbol = "s" + symbol;
        }

        string operand = fromRegister ? $"{r}{insn.Src}" : insn.Immediate.ToString(inv);
        return $"{r}{insn.Dst} {symbol} {operand}";
    }

    private static string Atomic(Instruction insn)
    {
        var inv = CultureInfo.InvariantCulture;
        bool is64 = (insn.Opcode & 0x18) == (byte)AccessSize.DoubleWord;
        string size = is64 ? "u64" : "u32";
        string bits = is64 ? "64" : "";
        char r = is64 ? 'r' : 'w';
        string at = string.Create(inv, $"({size} *)(r{insn.Dst} {insn.Offset:+0;-0})");
        var operation = (AtomicOperation)insn.Immediate;
        string name = (operation & (AtomicOperation)0xf0) switch
        {
            (AtomicOperation)0x00 => "add",
            (AtomicOperation)0x40 => "or",
            (AtomicOperation)0x50 => "and",
            (AtomicOperation)0xa0 => "xor",
            _ => "",
        };
        return operation switch
        {
            AtomicOperation.Xchg => string.Create(inv, $"{r}{insn.Src} = atomic{bits}_xchg({at}, {r}{insn.Src})"),
            AtomicOperation.CmpXchg => string.Create(inv, $"r0 = atomic{bits}_cmpxchg({at}, r0, {r}{insn.Src})"),
            _ when ((int)operation & 1) != 0 => string.Create(inv, $"{r}{insn.Src} = atomic{bits}_fetch_{name}({at}, {r}{insn.Src})"),
            _ => string.Create(inv, $"lock *{at} {AluSymbols[(int)operation >> 4]} {r}{insn.Src}"),
        };
    }

    private static string HelperName(int id)
    {
        var name = HelperNames.Of((HelperId)id);
        return char.IsAsciiDigit(name[0]) || name[0] == '-' ? "unknown" : "bpf_" + name;
    }

    private static string Jump(Instruction insn)
    {
        var inv = CultureInfo.InvariantCulture;
        var op = (JumpOperation)(insn.Opcode & 0xf0);
        bool is32 = insn.Class == InstructionClass.Jmp32;
        switch (op)
        {
            case JumpOperation.Exit:
                return "exit";
            case JumpOperation.Ja:
                return is32 ? string.Create(inv, $"gotol pc{insn.Immediate:+0;-0}") : string.Create(inv, $"goto pc{insn.Offset:+0;-0}");
            case JumpOperation.Jcond:
                return string.Create(inv, $"may_goto pc{insn.Offset:+0;-0}");
            case JumpOperation.Call:
                return insn.Src switch
                {
                    (byte)CallSource.Local => string.Create(inv, $"call pc{insn.Immediate:+0;-0}"),
                    // The kernel prints the kfunc's name and its vmlinux BTF id; SharpBpf's id is its own (KfuncTable).
                    (byte)CallSource.Kfunc when Helpers.Kfuncs.KfuncTable.TryGet(insn.Immediate, out var kfunc) => kfunc.CallText,
                    (byte)CallSource.Kfunc => string.Create(inv, $"call #{insn.Immediate}"),
                    _ when (insn.Opcode & 0x08) != 0 => string.Create(inv, $"callx r{insn.Dst}"),
                    _ => string.Create(inv, $"call {HelperName(insn.Immediate)}#{insn.Immediate}"),
                };
        }

        char r = is32 ? 'w' : 'r';
        string right = (insn.Opcode & 0x08) != 0 ? $"{r}{insn.Src}" : string.Create(inv, $"0x{insn.Immediate:x}");
        return string.Create(inv, $"if {r}{insn.Dst} {JumpSymbols[(int)op >> 4]} {right} goto pc{insn.Offset:+0;-0}");
    }
}

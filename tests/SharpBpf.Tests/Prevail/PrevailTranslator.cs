using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using SharpBpf.Asm;
using SharpBpf.Loader;

namespace SharpBpf.Tests.Prevail;

/// <summary>
/// Translates a PREVAIL case into a Linux program where the case applies to Linux, and names the reason where it
/// does not. The entry state (<c>pre</c>) is built by a prologue from Linux's own (r1 = context, r10 = top of a
/// 512-byte stack) only where that is exact: constants, intervals (an unknown number, then branches to a dead end
/// outside the case's code), stack and context pointers, the map, and packet pointers loaded from an XDP context
/// with a bounds check of <c>packet_size</c> bytes. <c>assume c</c> becomes a branch on the negated condition to
/// that dead end. A register Linux defines at entry and the case does not (r1, r10) must be written before the
/// case's code reads it, or the case is skipped.
/// </summary>
internal static partial class PrevailTranslator
{
    private const string Dead = "prevail_dead";

    public static PrevailTranslation Translate(PrevailCase @case)
    {
        try
        {
            return new PrevailTranslation(@case, TranslateOrThrow(@case), null);
        }
        catch (NotLinuxException e)
        {
            return new PrevailTranslation(@case, null, e.Message);
        }
    }

    private static PrevailProgram TranslateOrThrow(PrevailCase @case)
    {
        if (@case.IsExceptionFixture) throw new NotLinuxException("harness fixture (expected-exception)");
        if (@case.HasObserve) throw new NotLinuxException("observe (PREVAIL-only assertions on its abstract state)");
        if (@case.Options.Contains("big_endian")) throw new NotLinuxException("big_endian (this machine is little-endian)");
        if (@case.Blocks.Count == 0) throw new NotLinuxException("no code");

        var pre = EntryState.Parse(@case.Pre);
        var lines = @case.Blocks.SelectMany(b => b.Lines).ToList();
        var body = new StringBuilder();
        var usesDeadEnd = false;
        var usesLegacyPacketAccess = false;
        foreach (var (label, blockLines) in @case.Blocks)
        {
            body.Append(CultureInfo.InvariantCulture, $"L_{Label(label)}:\n");
            foreach (var line in blockLines)
            {
                var asm = Line(line);
                usesDeadEnd |= asm.Contains(Dead, StringComparison.Ordinal);
                usesLegacyPacketAccess |= asm.StartsWith("ldabs", StringComparison.Ordinal) || asm.StartsWith("ldind", StringComparison.Ordinal);
                body.Append(asm).Append('\n');
            }
        }

        var last = lines.Count == 0 ? "" : lines[^1];
        if (last != "exit" && !last.StartsWith("goto ", StringComparison.Ordinal) || @case.Blocks[^1].Lines.Count == 0)
        {
            // PREVAIL's programs may end without exit; Linux's must, with r0 set.
            body.Append("mov %r0, 0\nexit\n");
        }

        if (pre.UsesPacket && usesLegacyPacketAccess) throw new NotLinuxException("packet pointers and legacy packet loads in one program");
        var type = pre.UsesPacket || pre.UsesContext && !usesLegacyPacketAccess ? ProgramType.Xdp : ProgramType.SocketFilter;
        foreach (var register in pre.LinuxDefinedOnly)
        {
            if (!WrittenBeforeRead(register, lines))
            {
                throw new NotLinuxException($"r{register} is undefined in pre but read by the code, and Linux defines it at entry");
            }
        }

        var prologue = pre.Prologue(FreeRegisters(@case, lines, pre));
        usesDeadEnd |= prologue.Contains(Dead, StringComparison.Ordinal);
        var assembly = prologue + body + (usesDeadEnd ? $"{Dead}:\nmov %r0, 0\nexit\n" : "");
        try
        {
            return new PrevailProgram(@case, type, assembly, Assembler.Assemble(assembly));
        }
        catch (AsmSyntaxException e)
        {
            throw new NotLinuxException($"no encoding: {e.Reason}");
        }
    }

    /// <summary>Registers neither the case's pre nor its code mentions, for the prologue's scratch values.</summary>
    private static IEnumerable<int> FreeRegisters(PrevailCase @case, List<string> lines, EntryState pre)
    {
        var mentioned = lines.SelectMany(l => Register().Matches(l)).Select(m => int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture)).ToHashSet();
        return new[] { 9, 8, 7, 6, 5, 4, 3, 2 }.Where(r => !mentioned.Contains(r) && !pre.Defines(r));
    }

    /// <summary>
    /// Whether every path from the entry writes <paramref name="register"/> before it reads it: the straight-line
    /// start of the code reaches a plain assignment to it before any branch, call, exit or read.
    /// </summary>
    private static bool WrittenBeforeRead(int register, List<string> lines)
    {
        if (!lines.Any(l => Mentions(l, register) || l.StartsWith("call", StringComparison.Ordinal) && register is >= 1 and <= 5)) return true;
        foreach (var line in lines)
        {
            var mentions = Register().Matches(line).Select(m => int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture)).ToList();
            if (Assignment().Match(line) is { Success: true } assignment
                && int.Parse(assignment.Groups["dst"].Value, CultureInfo.InvariantCulture) == register)
            {
                return mentions.Count(r => r == register) == 1;
            }

            if (mentions.Contains(register) || line == "exit" && register == 0 || line.StartsWith("call", StringComparison.Ordinal)
                || line.StartsWith("if ", StringComparison.Ordinal) || line.StartsWith("goto", StringComparison.Ordinal)
                || line.StartsWith("assume", StringComparison.Ordinal) || line == "exit")
            {
                return false;
            }
        }

        return true;
    }

    private static bool Mentions(string line, int register) =>
        Register().Matches(line).Any(m => int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture) == register);

    private static string Label(string label) => LabelCharacters().Replace(label, "_");

    /// <summary>One line of PREVAIL's (the kernel log's) syntax in SharpBpf's assembler syntax.</summary>
    private static string Line(string line)
    {
        if (line == "exit") return "exit";
        if (line.Contains("map_by_idx", StringComparison.Ordinal)) throw new NotLinuxException("map_by_idx (PREVAIL-only pseudo-instruction)");
        Match m;
        if ((m = Goto().Match(line)).Success) return $"ja L_{Label(m.Groups["target"].Value)}";
        if ((m = Branch().Match(line)).Success)
        {
            var op = m.Groups["op"].Value;
            if (op == "&!=") throw new NotLinuxException("branch on &!= (no such BPF jump)");
            return Jump(Conditions[op], m, $"L_{Label(m.Groups["target"].Value)}");
        }

        if ((m = Assume().Match(line)).Success)
        {
            var op = m.Groups["op"].Value;
            if (op == "&==") throw new NotLinuxException("assume of a bit test (its negation is no BPF jump)");
            return Jump(Negations[op], m, Dead);
        }

        if ((m = LocalCall().Match(line)).Success) return $"call local L_{Label(m.Groups["target"].Value)}";
        if ((m = HelperCall().Match(line)).Success) return $"call {m.Groups["id"].Value}";
        if ((m = IndirectCall().Match(line)).Success) return $"callx %r{m.Groups["reg"].Value}";
        if ((m = Load().Match(line)).Success)
        {
            var signed = m.Groups["sign"].Value == "s";
            return $"ldx{(signed ? "s" : "")}{SizeSuffix(m.Groups["size"].Value)} %r{m.Groups["dst"].Value}, {Memory(m)}";
        }

        if ((m = Store().Match(line)).Success)
        {
            var value = m.Groups["value"].Value;
            var source = RegisterOperand(value);
            return source is null
                ? $"st{SizeSuffix(m.Groups["size"].Value)} {Memory(m)}, {Immediate(value)}"
                : $"stx{SizeSuffix(m.Groups["size"].Value)} {Memory(m)}, {source}";
        }

        if ((m = Atomic().Match(line)).Success)
        {
            var suffix = m.Groups["size"].Value == "32" ? "32" : "";
            var fetch = m.Groups["fetch"].Success ? "fetch " : "";
            var operation = m.Groups["op"].Value switch
            {
                "+" => $"{fetch}add", "|" => $"{fetch}or", "&" => $"{fetch}and", "^" => $"{fetch}xor", "x" => "xchg", "cx" => "cmpxchg",
                var other => throw new NotLinuxException($"atomic {other}="),
            };
            return $"lock {operation}{suffix} {Memory(m)}, %r{m.Groups["src"].Value}";
        }

        if ((m = LegacyLoad().Match(line)).Success)
        {
            if (m.Groups["dst"].Value != "0") throw new NotLinuxException("legacy packet load into a register other than r0");
            var size = SizeSuffix(m.Groups["size"].Value);
            return m.Groups["index"].Value.StartsWith('r')
                ? $"ldind{size} %{m.Groups["index"].Value}, 0"
                : $"ldabs{size} {m.Groups["index"].Value}";
        }

        if ((m = MapFd().Match(line)).Success) return $"lddw %r{m.Groups["dst"].Value}, map_fd 0";
        if ((m = MapValue().Match(line)).Success)
        {
            return $"lddw %r{m.Groups["dst"].Value}, map_value 0x{(long)int.Parse(m.Groups["offset"].Value, CultureInfo.InvariantCulture) << 32:x}";
        }

        if ((m = SignExtendingMove().Match(line)).Success)
        {
            var to = m.Groups["w"].Value == "w" ? "32" : "64";
            return $"movsx{m.Groups["bits"].Value}{to} %r{m.Groups["dst"].Value}, %r{m.Groups["src"].Value}";
        }

        if ((m = ByteSwap().Match(line)).Success)
        {
            if (m.Groups["dst"].Value != m.Groups["src"].Value) throw new NotLinuxException("byte swap between two registers");
            var kind = m.Groups["kind"].Value;
            return $"{(kind == "swap" ? "bswap" : kind)}{m.Groups["bits"].Value} %r{m.Groups["dst"].Value}";
        }

        if ((m = Negate().Match(line)).Success)
        {
            if (m.Groups["dst"].Value != m.Groups["src"].Value) throw new NotLinuxException("negation between two registers");
            return $"neg{(m.Groups["w"].Value == "w" ? "32" : "")} %r{m.Groups["dst"].Value}";
        }

        if ((m = Move().Match(line)).Success)
        {
            var wide = m.Groups["w"].Value != "w";
            var value = m.Groups["value"].Value;
            if (RegisterOperand(value) is { } source) return $"mov{(wide ? "" : "32")} %r{m.Groups["dst"].Value}, {source}";
            if (value.EndsWith("ll", StringComparison.Ordinal)) return $"lddw %r{m.Groups["dst"].Value}, {Wide(value[..^2])}";
            return $"mov{(wide ? "" : "32")} %r{m.Groups["dst"].Value}, {Immediate(value)}";
        }

        if ((m = Arithmetic().Match(line)).Success)
        {
            var mnemonic = m.Groups["op"].Value switch
            {
                "+" => "add", "-" => "sub", "*" => "mul", "/" => "div", "%" => "mod", "s/" => "sdiv", "s%" => "smod",
                "|" => "or", "&" => "and", "^" => "xor", "<<" => "lsh", ">>" => "rsh", "s>>" => "arsh",
                var other => throw new NotLinuxException($"operator {other}="),
            };
            var value = m.Groups["value"].Value;
            var operand = RegisterOperand(value) ?? Immediate(value);
            return $"{mnemonic}{(m.Groups["w"].Value == "w" ? "32" : "")} %r{m.Groups["dst"].Value}, {operand}";
        }

        throw new NotLinuxException($"unrecognised line '{line}'");
    }

    private static readonly Dictionary<string, string> Conditions = new(StringComparer.Ordinal)
    {
        ["=="] = "jeq", ["!="] = "jne", [">"] = "jgt", [">="] = "jge", ["<"] = "jlt", ["<="] = "jle",
        ["s>"] = "jsgt", ["s>="] = "jsge", ["s<"] = "jslt", ["s<="] = "jsle", ["&=="] = "jset",
    };

    private static readonly Dictionary<string, string> Negations = new(StringComparer.Ordinal)
    {
        ["=="] = "jne", ["!="] = "jeq", [">"] = "jle", [">="] = "jlt", ["<"] = "jge", ["<="] = "jgt",
        ["s>"] = "jsle", ["s>="] = "jslt", ["s<"] = "jsge", ["s<="] = "jsgt", ["&!="] = "jset",
    };

    private static string Jump(string mnemonic, Match m, string target)
    {
        var left = m.Groups["left"].Value;
        var suffix = left.StartsWith('w') ? "32" : "";
        var right = m.Groups["right"].Value;
        var operand = RegisterOperand(right) ?? Immediate(right);
        return $"{mnemonic}{suffix} %r{left[1..]}, {operand}, {target}";
    }

    private static string? RegisterOperand(string text) => WholeRegister().Match(text) is { Success: true } m ? $"%r{m.Groups["n"].Value}" : null;

    private static string Memory(Match m)
    {
        var offset = int.Parse(m.Groups["off"].Value, CultureInfo.InvariantCulture);
        return $"[%r{m.Groups["base"].Value}{(m.Groups["dir"].Value == "-" ? -offset : offset):+0;-0}]";
    }

    private static string SizeSuffix(string bits) => bits switch
    {
        "8" => "b", "16" => "h", "32" => "w", "64" => "dw", _ => throw new NotLinuxException($"access size {bits}"),
    };

    /// <summary>A 32-bit immediate as the kernel log prints it: decimal, or a hex bit pattern.</summary>
    private static string Immediate(string text)
    {
        var value = ParseInteger(text);
        if (value >= int.MinValue && value <= int.MaxValue) return value.ToString(CultureInfo.InvariantCulture);
        if (value >= 0 && value <= uint.MaxValue) return $"0x{(uint)value:x}";
        throw new NotLinuxException($"immediate {text} does not fit 32 bits");
    }

    private static string Wide(string text) => ((ulong)(ParseInteger(text) & ulong.MaxValue)).ToString(CultureInfo.InvariantCulture);

    internal static BigInteger ParseInteger(string text)
    {
        text = text.Trim();
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..].Trim() : text;
        var value = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? BigInteger.Parse("0" + digits[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        return negative ? -value : value;
    }

    [GeneratedRegex(@"\b[rw](?<n>\d+)\b")]
    private static partial Regex Register();

    [GeneratedRegex(@"^[rw](?<n>\d+)$")]
    private static partial Regex WholeRegister();

    [GeneratedRegex(@"^[rw](?<dst>\d+)\s*=[^=]")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"[^A-Za-z0-9_]")]
    private static partial Regex LabelCharacters();

    [GeneratedRegex(@"^goto\s+<(?<target>[^>]+)>$")]
    private static partial Regex Goto();

    [GeneratedRegex(@"^if\s+(?<left>[rw]\d+)\s+(?<op>s?[<>]=?|==|!=|&==|&!=)\s+(?<right>\S+)\s+goto\s+<(?<target>[^>]+)>$")]
    private static partial Regex Branch();

    [GeneratedRegex(@"^assume\s+(?<left>[rw]\d+)\s+(?<op>s?[<>]=?|==|!=|&==|&!=)\s+(?<right>\S+)$")]
    private static partial Regex Assume();

    [GeneratedRegex(@"^call\s+<(?<target>[^>]+)>$")]
    private static partial Regex LocalCall();

    [GeneratedRegex(@"^call\s+(?<id>\d+)$")]
    private static partial Regex HelperCall();

    [GeneratedRegex(@"^callx\s+r(?<reg>\d+)$")]
    private static partial Regex IndirectCall();

    [GeneratedRegex(@"^r(?<dst>\d+)\s*=\s*\*\((?<sign>[us])(?<size>\d+)\s*\*\)\(r(?<base>\d+)\s*(?<dir>[+-])\s*(?<off>\d+)\)$")]
    private static partial Regex Load();

    [GeneratedRegex(@"^\*\(u(?<size>\d+)\s*\*\)\(r(?<base>\d+)\s*(?<dir>[+-])\s*(?<off>\d+)\)\s*=\s*(?<value>\S+)$")]
    private static partial Regex Store();

    [GeneratedRegex(@"^lock\s+\*\(u(?<size>\d+)\s*\*\)\(r(?<base>\d+)\s*(?<dir>[+-])\s*(?<off>\d+)\)\s*(?<op>\+|\||&|\^|x|cx)=\s*r(?<src>\d+)(\s+(?<fetch>fetch))?$")]
    private static partial Regex Atomic();

    [GeneratedRegex(@"^r(?<dst>\d+)\s*=\s*\*\(u(?<size>\d+)\s*\*\)skb\[(?<index>r?\d+)\]$")]
    private static partial Regex LegacyLoad();

    [GeneratedRegex(@"^r(?<dst>\d+)\s*=\s*map_fd\s+1$")]
    private static partial Regex MapFd();

    [GeneratedRegex(@"^r(?<dst>\d+)\s*=\s*map_val\(1\)\s*\+\s*(?<offset>\d+)$")]
    private static partial Regex MapValue();

    [GeneratedRegex(@"^(?<w>[rw])(?<dst>\d+)\s+s(?<bits>8|16|32)=\s*[rw](?<src>\d+)$")]
    private static partial Regex SignExtendingMove();

    [GeneratedRegex(@"^r(?<dst>\d+)\s*=\s*(?<kind>be|le|swap)(?<bits>16|32|64)\s+r(?<src>\d+)$")]
    private static partial Regex ByteSwap();

    [GeneratedRegex(@"^(?<w>[rw])(?<dst>\d+)\s*=\s*-\s*[rw](?<src>\d+)$")]
    private static partial Regex Negate();

    [GeneratedRegex(@"^(?<w>[rw])(?<dst>\d+)\s*=\s*(?<value>[rw]\d+|-?(0x[0-9a-fA-F]+|\d+)(ll)?)$")]
    private static partial Regex Move();

    [GeneratedRegex(@"^(?<w>[rw])(?<dst>\d+)\s*(?<op>s?/|s?%|s?>>|<<|\+|-|\*|\||&|\^)=\s*(?<value>[rw]\d+|-?(0x[0-9a-fA-F]+|\d+))$")]
    private static partial Regex Arithmetic();
}

/// <summary>A case PREVAIL can state and Linux cannot (the message is the reason).</summary>
internal sealed class NotLinuxException(string reason) : Exception(reason);

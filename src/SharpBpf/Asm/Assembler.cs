using SharpBpf.Isa;

namespace SharpBpf.Asm;

/// <summary>
/// Assembles the text syntax of the bpf_conformance suite (docs/asm-syntax.md) into instruction slots.
/// </summary>
/// <remarks>
/// <para>Table-driven: a mnemonic (with its qualifier words: <c>lock fetch add32</c>, <c>call local</c>,
/// <c>lddw … map_fd …</c>) selects <see cref="OpcodeTable"/> rows, the row's <see cref="InstructionForm"/> says which
/// operands to read, and fixed fields (sdiv's offset 1, movsx widths, atomic operations, endian widths, pseudo
/// source kinds) come from the row. So every row of the table can be written, and nothing else can.</para>
/// <para>Syntax: one instruction per line; <c>#</c> comments; <c>name:</c> labels (also before an instruction on
/// the same line); the first <c>exit</c> is implicitly labelled <c>exit</c> unless the text defines that label;
/// jump targets are labels or signed slot counts (<c>+3</c>, <c>-1</c>; <c>lddw</c> counts two). Operands are
/// separated by commas and/or spaces. Registers are <c>%r0</c>–<c>%r10</c>. 32-bit immediates: decimal values must fit
/// int32, hex without a sign is a 32-bit pattern. <c>lddw</c> takes any 64-bit value. Memory operands are
/// <c>[%rN]</c>, <c>[%rN+off]</c>, <c>[%rN-off]</c> with a signed 16-bit offset.</para>
/// <para>Extensions for rows the suite never writes: <c>lddw %r1, map_fd 3</c> (also <c>map_value</c>, <c>btf_id</c>,
/// <c>func</c>, <c>map_idx</c>, <c>map_idx_value</c>; the 64-bit value is split over the two slots as for a plain lddw),
/// <c>call kfunc ID</c> or <c>call kfunc ID, OFF</c>, <c>callx %rN</c> (= <c>call %rN</c>), <c>ldabsw 12</c>,
/// <c>ldindh %r1, 4</c> (uBPF's spelling of the legacy packet loads).</para>
/// <para>Deliberately not done: it does not validate the program (jumps may leave it; that is
/// <see cref="ProgramValidator"/>'s job), has no directives, sections, macros or expressions, and does not accept
/// <c>%r11</c>–<c>%r15</c> as the reference assembler does.</para>
/// </remarks>
internal static class Assembler
{
    public const string ImplicitExitLabel = "exit";

    /// <summary>Assembles <paramref name="source"/>; throws <see cref="AsmSyntaxException"/> with the line and column.</summary>
    public static Instruction[] Assemble(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var statements = new List<ParsedStatement>();
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        var pc = 0;
        var firstExit = -1;
        var lines = source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = new AsmLine(i + 1, lines[i].TrimEnd('\r'));
            var tokens = AsmToken.Split(line.Text);
            if (tokens.Count > 0 && tokens[0].Text.EndsWith(':'))
            {
                DefineLabel(line, tokens[0], labels, pc);
                tokens.RemoveAt(0);
            }

            if (tokens.Count == 0)
            {
                continue;
            }

            var statement = StatementParser.Parse(line, tokens, pc);
            if (statement.Row.Form == InstructionForm.Exit && firstExit < 0)
            {
                firstExit = pc;
            }

            statements.Add(statement);
            pc += statement.SlotCount;
        }

        if (firstExit >= 0)
        {
            labels.TryAdd(ImplicitExitLabel, firstExit);
        }

        return Emit(statements, labels, pc);
    }

    private static void DefineLabel(AsmLine line, AsmToken token, Dictionary<string, int> labels, int pc)
    {
        var name = token.Text[..^1];
        if (!OperandParser.IsLabelName(name))
        {
            throw line.Error(token.Column, $"invalid label name '{name}'");
        }

        if (!labels.TryAdd(name, pc))
        {
            throw line.Error(token.Column, $"duplicate label '{name}'");
        }
    }

    private static Instruction[] Emit(List<ParsedStatement> statements, Dictionary<string, int> labels, int slotCount)
    {
        var program = new Instruction[slotCount];
        foreach (var statement in statements)
        {
            if (statement.Target is { } target)
            {
                ResolveTarget(statement, target, labels);
            }

            program[statement.Pc] = statement.First;
            if (statement.Row.IsWide)
            {
                program[statement.Pc + 1] = statement.Second;
            }
        }

        return program;
    }

    private static void ResolveTarget(ParsedStatement statement, AsmToken target, Dictionary<string, int> labels)
    {
        var isOffset = statement.TargetKind == OperandKind.OffsetTarget;
        long min = isOffset ? short.MinValue : int.MinValue;
        long max = isOffset ? short.MaxValue : int.MaxValue;
        long delta;
        if (OperandParser.IsRelative(target.Text))
        {
            delta = OperandParser.Signed(statement.Line, target, min, max, "jump offset");
        }
        else if (labels.TryGetValue(target.Text, out var destination))
        {
            delta = destination - (statement.Pc + 1L);
            if (delta < min || delta > max)
            {
                throw statement.Line.Error(target.Column, $"label '{target.Text}' is {delta} slots away, out of range [{min}, {max}]");
            }
        }
        else
        {
            throw statement.Line.Error(target.Column, $"undefined label '{target.Text}'");
        }

        if (isOffset)
        {
            statement.Offset = (short)delta;
        }
        else
        {
            statement.Immediate = (int)delta;
        }
    }
}

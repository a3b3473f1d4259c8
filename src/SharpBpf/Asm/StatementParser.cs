using SharpBpf.Isa;

namespace SharpBpf.Asm;

/// <summary>
/// Turns the tokens of one instruction line into a <see cref="ParsedStatement"/>: finds the table rows of the
/// written mnemonic (qualifier words included), picks the row whose operand shape matches, fills the fields.
/// </summary>
internal static class StatementParser
{
    private static readonly HashSet<string> LoadImm64Qualifiers =
        OpcodeTable.All.Where(r => r.Form == InstructionForm.LoadImm64 && r.Qualifier.Length > 0)
            .Select(r => r.Qualifier).ToHashSet(StringComparer.Ordinal);

    public static ParsedStatement Parse(AsmLine line, List<AsmToken> tokens, int pc)
    {
        var (key, operands) = ResolveMnemonic(line, tokens);
        if (!OpcodeTable.ByMnemonic.TryGetValue(key, out var rows))
        {
            throw line.Error(tokens[0].Column, $"unknown mnemonic '{key}'");
        }

        var row = ChooseRow(line, tokens[0], key, rows, operands);
        var statement = new ParsedStatement(line, pc, row);
        var layout = OperandLayout.For(row.Form);
        for (var i = 0; i < operands.Count; i++)
        {
            Fill(line, statement, layout[i], operands[i]);
        }

        return statement;
    }

    private static (string Key, List<AsmToken> Operands) ResolveMnemonic(AsmLine line, List<AsmToken> tokens)
    {
        var first = tokens[0].Text;
        switch (first)
        {
            case "lock":
            {
                var index = 1;
                var qualifier = "";
                if (tokens.Count > index && tokens[index].Text == "fetch")
                {
                    qualifier = "fetch ";
                    index++;
                }

                if (tokens.Count <= index)
                {
                    throw line.Error(tokens[0].Column, "invalid number of operands for lock: the operation is missing");
                }

                return ($"lock {qualifier}{tokens[index].Text}", tokens.Skip(index + 1).ToList());
            }
            case "call":
            {
                var rest = tokens.Skip(1).ToList();
                if (rest.Count > 0 && rest[0].Text is "local" or "kfunc")
                {
                    return ($"call {rest[0].Text}", rest.Skip(1).ToList());
                }

                // uBPF also spells a helper call "call helper N" / "call runtime N".
                if (rest.Count > 0 && rest[0].Text is "helper" or "runtime")
                {
                    rest.RemoveAt(0);
                }

                return (rest.Count > 0 && rest[0].Text.StartsWith('%') ? "callx" : "call", rest);
            }
            case "lddw" when tokens.Count > 2 && LoadImm64Qualifiers.Contains(tokens[2].Text):
                return ($"lddw {tokens[2].Text}", [tokens[1], .. tokens.Skip(3)]);
            default:
                // swap16/32/64 is the conformance suite's synonym of bswap16/32/64.
                var key = first.StartsWith("swap", StringComparison.Ordinal) ? "b" + first : first;
                return (key, tokens.Skip(1).ToList());
        }
    }

    private static OpcodeInfo ChooseRow(AsmLine line, AsmToken mnemonic, string key, OpcodeInfo[] rows, List<AsmToken> operands)
    {
        var sameCount = rows.Where(r => CountFits(OperandLayout.For(r.Form), operands.Count)).ToArray();
        if (sameCount.Length == 0)
        {
            var expected = string.Join(" or ", rows.Select(r => OperandLayout.RequiredCount(OperandLayout.For(r.Form))).Distinct());
            throw line.Error(mnemonic.Column, $"invalid number of operands for {key}: expected {expected}, got {operands.Count}");
        }

        foreach (var row in sameCount)
        {
            var layout = OperandLayout.For(row.Form);
            var shapeFits = true;
            for (var i = 0; i < operands.Count && shapeFits; i++)
            {
                var isRegister = operands[i].Text.StartsWith('%');
                shapeFits = OperandLayout.IsRegister(layout[i]) == isRegister || layout[i] is OperandKind.DstMemory or OperandKind.SrcMemory;
            }

            if (shapeFits)
            {
                return row;
            }
        }

        // No row has this register/value shape: parse with the first so the error names the bad operand.
        return sameCount[0];
    }

    private static bool CountFits(OperandKind[] layout, int count) =>
        count == layout.Length || count == OperandLayout.RequiredCount(layout);

    private static void Fill(AsmLine line, ParsedStatement statement, OperandKind kind, AsmToken token)
    {
        switch (kind)
        {
            case OperandKind.DstRegister:
                statement.Dst = OperandParser.Register(line, token);
                break;
            case OperandKind.SrcRegister:
                statement.Src = OperandParser.Register(line, token);
                break;
            case OperandKind.Immediate:
                statement.Immediate = OperandParser.Immediate32(line, token);
                break;
            case OperandKind.Immediate64:
                var value = OperandParser.Immediate64(line, token);
                statement.Immediate = unchecked((int)value);
                statement.UpperImmediate = unchecked((int)(value >> 32));
                break;
            case OperandKind.DstMemory:
                (statement.Dst, statement.Offset) = OperandParser.Memory(line, token);
                break;
            case OperandKind.SrcMemory:
                (statement.Src, statement.Offset) = OperandParser.Memory(line, token);
                break;
            case OperandKind.OffsetTarget:
            case OperandKind.ImmediateTarget:
                OperandParser.CheckTargetSyntax(line, token);
                statement.Target = token;
                statement.TargetKind = kind;
                break;
            case OperandKind.OptionalOffset:
                statement.Offset = (short)OperandParser.Signed(line, token, short.MinValue, short.MaxValue, "offset");
                break;
        }
    }
}

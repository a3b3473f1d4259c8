using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace SharpBpf.Isa;

/// <summary>
/// The one source of truth for the instruction set (RFC 9669, cpu v1–v4, plus the legacy packet loads and the
/// kernel's pseudo call/lddw kinds). Decoding, validation, the assembler, the formatters and the verifier all read it.
/// </summary>
internal static class OpcodeTable
{
    private static readonly OpcodeInfo[] Rows = [.. OpcodeTableRows.Build()];
    private static readonly OpcodeInfo[][] ByOpcode = BuildIndex(Rows);

    /// <summary>Every row, in table order.</summary>
    public static IReadOnlyList<OpcodeInfo> All => Rows;

    /// <summary>Rows by <see cref="OpcodeInfo.FullMnemonic"/>; a mnemonic with an immediate and a register form has two.</summary>
    public static FrozenDictionary<string, OpcodeInfo[]> ByMnemonic { get; } =
        Rows.GroupBy(i => i.FullMnemonic).ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>The rows that share an opcode byte (empty for an unknown opcode).</summary>
    public static ReadOnlySpan<OpcodeInfo> ForOpcode(byte opcode) => ByOpcode[opcode];

    /// <summary>Finds the row an instruction belongs to; false if the opcode is unknown or a field is out of place.</summary>
    public static bool TryDecode(Instruction insn, [NotNullWhen(true)] out OpcodeInfo? info)
    {
        foreach (var candidate in ByOpcode[insn.Opcode])
        {
            if (candidate.Matches(insn))
            {
                info = candidate;
                return true;
            }
        }

        info = null;
        return false;
    }

    /// <summary>Why <paramref name="insn"/> is not a valid instruction, or null when it is.</summary>
    public static string? Explain(Instruction insn)
    {
        var candidates = ByOpcode[insn.Opcode];
        if (candidates.Length == 0)
        {
            return $"unknown opcode 0x{insn.Opcode:x2}";
        }

        OpcodeInfo? closest = null;
        var best = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var mismatches = candidate.MismatchCount(insn);
            if (mismatches == 0)
            {
                return null;
            }

            if (mismatches < best)
            {
                best = mismatches;
                closest = candidate;
            }
        }

        return DescribeMismatch(closest!, insn, candidates);
    }

    private static string DescribeMismatch(OpcodeInfo row, Instruction insn, OpcodeInfo[] candidates)
    {
        var name = row.FullMnemonic;
        if (!OpcodeInfo.RegisterAccepted(row.Dst, insn.Dst))
        {
            return row.Dst.IsOperand
                ? $"{name} (opcode 0x{insn.Opcode:x2}): invalid dst register r{insn.Dst}"
                : $"{name} (opcode 0x{insn.Opcode:x2}): reserved dst field must be {row.Dst.FixedValue}, is {insn.Dst}";
        }

        if (!OpcodeInfo.RegisterAccepted(row.Src, insn.Src))
        {
            if (row.Src.IsOperand)
            {
                return $"{name} (opcode 0x{insn.Opcode:x2}): invalid src register r{insn.Src}";
            }

            return candidates.Length > 1 && candidates.All(c => !c.Src.IsOperand) && candidates.Select(c => c.Src.FixedValue).Distinct().Count() > 1
                ? $"{row.Mnemonic} (opcode 0x{insn.Opcode:x2}): unknown src kind {insn.Src}"
                : $"{name} (opcode 0x{insn.Opcode:x2}): reserved src field must be {row.Src.FixedValue}, is {insn.Src}";
        }

        if (!row.Offset.Accepts(insn.Offset))
        {
            var allowed = string.Join(" or ", candidates.Where(c => !c.Offset.IsOperand).Select(c => c.Offset.FixedValue).Distinct());
            return $"{name} (opcode 0x{insn.Opcode:x2}): offset must be {allowed}, is {insn.Offset}";
        }

        var immediates = string.Join(", ", candidates.Where(c => !c.Immediate.IsOperand).Select(c => $"0x{c.Immediate.FixedValue:x}").Distinct());
        return $"{name} (opcode 0x{insn.Opcode:x2}): immediate must be {immediates}, is 0x{insn.Immediate:x}";
    }

    private static OpcodeInfo[][] BuildIndex(OpcodeInfo[] all)
    {
        var index = new OpcodeInfo[256][];
        for (var op = 0; op < 256; op++)
        {
            index[op] = all.Where(i => i.Opcode == op).ToArray();
        }

        return index;
    }
}

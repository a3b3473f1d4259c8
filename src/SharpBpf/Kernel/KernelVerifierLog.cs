using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpBpf.Kernel;

/// <summary>
/// Reads a kernel verifier log (level 1, or 2) the way SharpBpf reports its own verdicts: the reason line and the
/// instruction it is at. The reason is the last line that is neither one of the closing statistics nor a state dump
/// printed after it (<c>infinite loop detected at insn 40</c> is followed by <c>cur state:</c> and <c>old state:</c>);
/// the instruction is the one the reason names (<c>at insn N</c>), else the last <c>N: (op)</c> line before it.
/// </summary>
internal static partial class KernelVerifierLog
{
    /// <summary>The reason line and its instruction; null reason when the log has none.</summary>
    public static (string? Reason, int? Instruction) ReasonOf(string log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var reasonAt = Array.FindLastIndex(lines, l => !IsStatistics(l) && !IsStateDump(l) && !IsLibBpf(l));
        if (reasonAt < 0) return (null, null);
        var reason = WithoutGluedStatistics(lines[reasonAt]);
        if (NamedInstruction().Match(reason) is { Success: true } named)
        {
            return (reason, int.Parse(named.Groups["index"].Value, CultureInfo.InvariantCulture));
        }

        var instruction = lines.Take(reasonAt).Select(l => InstructionLine().Match(l)).LastOrDefault(m => m.Success);
        return (reason, instruction is null ? null : int.Parse(instruction.Groups["index"].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>The <c>processed N insns</c> count of the statistics line, or null.</summary>
    public static long? ProcessedInstructions(string log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var match = Processed().Match(log);
        return match.Success ? long.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Every "N: (op)" line: the instruction index and the opcode byte it printed.</summary>
    public static IEnumerable<(int Index, byte Opcode)> Instructions(string log) =>
        log.Split('\n').Select(l => InstructionLine().Match(l)).Where(m => m.Success).Select(m => (
            int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture),
            byte.Parse(m.Groups["opcode"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));

    /// <summary>
    /// A few kernel messages lack their newline ("expected prog array map for tail call"): the statistics line runs
    /// on after them and is cut off.
    /// </summary>
    internal static string WithoutGluedStatistics(string line)
    {
        int glued = line.IndexOf("processed ", StringComparison.Ordinal);
        return glued > 0 && Processed().IsMatch(line[glued..]) ? line[..glued] : line;
    }

    private static bool IsStatistics(string line) =>
        line.StartsWith("processed ", StringComparison.Ordinal)
        || line.StartsWith("verification time", StringComparison.Ordinal)
        || line.StartsWith("stack depth", StringComparison.Ordinal);

    private static bool IsStateDump(string line) =>
        line.StartsWith("cur state:", StringComparison.Ordinal) || line.StartsWith("old state:", StringComparison.Ordinal);

    // libbpf's own lines around the kernel's log when the whole libbpf output is given.
    private static bool IsLibBpf(string line) => line.StartsWith("libbpf:", StringComparison.Ordinal) || line.StartsWith("-- ", StringComparison.Ordinal);

    [GeneratedRegex(@"\bat insn (?<index>\d+)$")]
    private static partial Regex NamedInstruction();

    [GeneratedRegex(@"^(?<index>\d+): \((?<opcode>[0-9a-f]{2})\)")]
    private static partial Regex InstructionLine();

    [GeneratedRegex(@"processed (?<count>\d+) insns")]
    private static partial Regex Processed();
}

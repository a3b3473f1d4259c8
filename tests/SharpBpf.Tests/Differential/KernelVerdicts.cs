using System.Globalization;
using System.Text.RegularExpressions;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// What Linux 6.18 said about each object of Data/verifier, measured once and kept in Data/verifier/expected.txt
/// (<c>object program insn error</c>): the program it rejected, the index of the last instruction its log printed
/// before the error, and the error line itself (the log's last line before the "processed N insns" statistics).
/// </summary>
internal static partial class KernelVerdicts
{
    /// <summary>One rejection; <see cref="Instruction"/> is null where the kernel's log names no instruction.</summary>
    public sealed record Verdict(string Object, string Program, int? Instruction, string Error);

    public static string Folder => Path.Combine(TestPaths.TestData, "verifier");

    public static string PathOf(string objectName) => Path.Combine(Folder, objectName);

    public static IReadOnlyDictionary<string, Verdict> Rejected => Table.Value;

    /// <summary>The objects the kernel accepts on purpose: neighbours of the rules that prove nothing is over-rejected.</summary>
    public static IEnumerable<string> Accepted =>
        Directory.EnumerateFiles(Folder, "ok_*.o").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static TheoryData<string> RejectedObjects => [.. Rejected.Keys.Order(StringComparer.Ordinal)];

    public static TheoryData<string> AcceptedObjects => [.. Accepted];

    private static readonly Lazy<IReadOnlyDictionary<string, Verdict>> Table = new(Read);

    private static Dictionary<string, Verdict> Read()
    {
        var verdicts = new Dictionary<string, Verdict>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(Folder, "expected.txt")))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split(' ', 4);
            verdicts.Add(fields[0], new Verdict(fields[0], fields[1], fields[2] == "-" ? null : int.Parse(fields[2], CultureInfo.InvariantCulture), fields[3]));
        }

        return verdicts;
    }

    /// <summary>
    /// The error line and instruction index of a kernel verifier log at level 1: the last line that is not one of
    /// the closing statistics, and the number of the last "N: (op) ..." line printed before it (null if none is).
    /// </summary>
    public static (string Error, int? Instruction) Parse(string verifierLog)
    {
        var lines = verifierLog.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errorAt = Array.FindLastIndex(lines, l => !IsStatistics(l));
        Assert.True(errorAt >= 0, "the verifier log has no error line:\n" + verifierLog);
        var instruction = lines.Take(errorAt).Select(l => InstructionLine().Match(l)).LastOrDefault(m => m.Success);
        return (lines[errorAt], instruction is null ? null : int.Parse(instruction.Groups["index"].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Every "N: (op)" line of a kernel verifier log: the instruction index and the opcode byte it printed.</summary>
    public static IEnumerable<(int Index, byte Opcode)> Instructions(string verifierLog) =>
        verifierLog.Split('\n').Select(l => InstructionLine().Match(l)).Where(m => m.Success).Select(m => (
            int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture),
            byte.Parse(m.Groups["opcode"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));

    private static bool IsStatistics(string line) =>
        line.StartsWith("processed ", StringComparison.Ordinal)
        || line.StartsWith("verification time", StringComparison.Ordinal)
        || line.StartsWith("stack depth", StringComparison.Ordinal);

    [GeneratedRegex(@"^(?<index>\d+): \((?<opcode>[0-9a-f]{2})\)")]
    private static partial Regex InstructionLine();
}

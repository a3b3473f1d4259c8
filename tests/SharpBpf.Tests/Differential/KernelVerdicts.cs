using System.Globalization;
using System.Text.RegularExpressions;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// What Linux 6.18 said about each object of Data/verifier and Data/corpus, measured once and kept in their expected.txt
/// (<c>object program insn error</c>): the program it rejected, the index of the last instruction its log printed
/// before the error, and the error line itself (the log's last line before the "processed N insns" statistics).
/// </summary>
internal static partial class KernelVerdicts
{
    /// <summary>One rejection; <see cref="Instruction"/> is null where the kernel's log names no instruction.</summary>
    public sealed record Verdict(string Object, string Program, int? Instruction, string Error);

    /// <summary>The timer rule breakers and their accepted neighbours (one rule per object).</summary>
    public static VerdictTable Verifier { get; } = new("verifier");

    /// <summary>Realistic programs (ok_*) and realistic mistakes (bad_*), each built for cpu v3 and v4.</summary>
    public static VerdictTable Corpus { get; } = new("corpus");

    public static string Folder => Verifier.Folder;

    public static string PathOf(string objectName) => Verifier.PathOf(objectName);

    public static IReadOnlyDictionary<string, Verdict> Rejected => Verifier.Rejected;

    /// <summary>The objects the kernel accepts on purpose: neighbours of the rules that prove nothing is over-rejected.</summary>
    public static IEnumerable<string> Accepted => Verifier.Accepted;

    public static TheoryData<string> RejectedObjects => [.. Rejected.Keys.Order(StringComparer.Ordinal)];

    public static TheoryData<string> AcceptedObjects => [.. Accepted];

    /// <summary>Whether a committed object (path relative to the repository) is one that Linux rejects on purpose.</summary>
    public static bool IsRejectedOnPurpose(string relativePath) =>
        new[] { Verifier, Corpus }.Any(table => table.Holds(relativePath) && table.Rejected.ContainsKey(Path.GetFileName(relativePath)));

    /// <summary>One folder of Data with its expected.txt: <c>object program insn error</c> per line.</summary>
    internal sealed class VerdictTable(string folderName)
    {
        private readonly Lazy<IReadOnlyDictionary<string, Verdict>> table = new(() => Read(Path.Combine(TestPaths.TestData, folderName, "expected.txt")));

        public string Folder => Path.Combine(TestPaths.TestData, folderName);

        public string PathOf(string objectName) => Path.Combine(Folder, objectName);

        /// <summary>Loads the object into Linux and checks it is refused with the measured error line and instruction.</summary>
        public void AssertLinuxRejects(string objectName)
        {
            var expected = Rejected[objectName];
            var error = Assert.Throws<SharpBpf.Kernel.KernelLoadException>(() => SharpBpf.Kernel.KernelObject.Open(PathOf(objectName)));
            Assert.Equal(expected.Program, error.ProgramName);
            Assert.NotNull(error.VerifierLog);
            Assert.Equal((expected.Error, expected.Instruction), Parse(error.VerifierLog));
        }

        public IReadOnlyDictionary<string, Verdict> Rejected => table.Value;

        /// <summary>The objects of the folder Linux accepts: ok_*.o.</summary>
        public IEnumerable<string> Accepted =>
            Directory.EnumerateFiles(Folder, "ok_*.o").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

        public bool Holds(string relativePath) =>
            relativePath.StartsWith($"tests/SharpBpf.Tests/Data/{folderName}/", StringComparison.Ordinal);
    }

    private static Dictionary<string, Verdict> Read(string expectedFile)
    {
        var verdicts = new Dictionary<string, Verdict>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(expectedFile))
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

using System.Globalization;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// What Linux 6.18 said about each object of Data/verifier and Data/corpus, measured once and kept in their expected.txt
/// (<c>object program insn error</c>): the program it rejected, the instruction the rejection is at, and the reason
/// line (see <see cref="Parse"/>). The reason lines are compared with their volatile numbers set aside
/// (<see cref="KernelText"/>), so they hold on every build of the version they were recorded on
/// (<see cref="RecordedOn"/>).
/// </summary>
internal static class KernelVerdicts
{
    /// <summary>One rejection; <see cref="Instruction"/> is null where the kernel's log names no instruction.</summary>
    public sealed record Verdict(string Object, string Program, int? Instruction, string Error);

    /// <summary>The kernel version every expected.txt was recorded on; exact kernel text is compared only there.</summary>
    public const string RecordedOn = "6.18";

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
            var (reason, instruction) = Parse(error.VerifierLog);
            KernelText.AssertSameReason(expected.Error, reason);
            Assert.Equal(expected.Instruction, instruction);
        }

        /// <summary>Asserts SharpBpf's rejection (program, reason, instruction) is the one Linux gave.</summary>
        public void AssertSameRejection(string objectName, string? program, string? reason, int? instructionIndex)
        {
            var expected = Rejected[objectName];
            Assert.Equal(expected.Program, program);
            KernelText.AssertSameReason(expected.Error, reason);
            // Where the kernel's log names no instruction (the combined-stack check) the index is SharpBpf's choice.
            if (expected.Instruction is { } instruction) Assert.Equal(instruction, instructionIndex);
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

    /// <summary>The reason line and instruction of a kernel verifier log (<see cref="SharpBpf.Kernel.KernelVerifierLog"/>).</summary>
    public static (string Error, int? Instruction) Parse(string verifierLog)
    {
        var (reason, instruction) = SharpBpf.Kernel.KernelVerifierLog.ReasonOf(verifierLog);
        Assert.True(reason is not null, "the verifier log has no reason line:\n" + verifierLog);
        return (reason!, instruction);
    }

    /// <summary>Every "N: (op)" line of a kernel verifier log: the instruction index and the opcode byte it printed.</summary>
    public static IEnumerable<(int Index, byte Opcode)> Instructions(string verifierLog) => SharpBpf.Kernel.KernelVerifierLog.Instructions(verifierLog);
}

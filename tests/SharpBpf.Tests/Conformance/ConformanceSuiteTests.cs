using SharpBpf.Interpreter;
using SharpBpf.Runtime.Conformance;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Conformance;

/// <summary>
/// The conformance data, one test case per file so a failure names it: bpf_conformance's 313 programs must all pass
/// (cpu v4 included, none skipped); every negative file must give the failure it exists to provoke; uBPF's files pass
/// unless they need uBPF's own harness (listed with reasons in Data/conformance/SKIPPED.md).
/// </summary>
public class ConformanceSuiteTests
{
    private static readonly ConformanceRunner Runner = new(InterpreterEngine.Instance);

    private static TheoryData<string> FilesIn(string folder)
    {
        var root = Path.Combine(TestPaths.SharedConformance, folder);
        var data = new TheoryData<string>();
        foreach (var file in ConformanceRunner.CollectFiles([root]))
        {
            data.Add(Path.GetRelativePath(root, file));
        }

        return data;
    }

    public static TheoryData<string> SuiteFiles() => FilesIn("tests");
    public static TheoryData<string> NegativeFiles() => FilesIn("negative");
    public static TheoryData<string> UbpfFiles() => FilesIn("ubpf-tests");

    private static ConformanceResult Run(string folder, string file) =>
        Runner.RunFile(Path.Combine(TestPaths.SharedConformance, folder, file), file);

    [Fact]
    public void The_suite_is_complete()
    {
        Assert.Equal(313, SuiteFiles().Count);
        Assert.Equal(60, NegativeFiles().Count);
    }

    [Theory]
    [MemberData(nameof(SuiteFiles))]
    public void Suite_file_passes(string file)
    {
        var result = Run("tests", file);
        Assert.True(result.Verdict == ConformanceVerdict.Passed, result.ToString());
    }

    [Theory]
    [MemberData(nameof(NegativeFiles))]
    public void Negative_file_gives_the_failure_it_expects(string file)
    {
        var result = Run("negative", file);
        var name = Path.GetFileNameWithoutExtension(file);
        switch (name)
        {
            case var _ when name.StartsWith("unused-", StringComparison.Ordinal):
                // A reserved field is set: the program must be refused before it runs.
                Assert.Equal(ConformanceVerdict.Passed, result.Verdict);
                Assert.StartsWith("rejected: insn 0:", result.Detail, StringComparison.Ordinal);
                break;
            case "invalid_lock" or "invalid_lock2" or "invalid_register":
                Assert.Equal(ConformanceVerdict.Passed, result.Verdict);
                Assert.StartsWith("rejected by the assembler (line ", result.Detail, StringComparison.Ordinal);
                break;
            case "empty" or "empty_instructions" or "invalid_unknown_directive":
                Assert.Equal(ConformanceVerdict.Skipped, result.Verdict);
                break;
            case "error":
                // Expects an error, but reading r10 is legal: the runner must report the mismatch.
                Assert.Equal(ConformanceVerdict.Failed, result.Verdict);
                Assert.StartsWith("expected an error, but the program returned", result.Detail, StringComparison.Ordinal);
                break;
            case "incorrect_return_value_high_bits":
                Assert.Equal(ConformanceVerdict.Failed, result.Verdict);
                Assert.Equal("expected 0x8977665544332211, got 0x8877665544332211", result.Detail);
                break;
            default:
                // The remaining invalid_* files are assembly the assembler must refuse, with its line.
                Assert.StartsWith("invalid_", name, StringComparison.Ordinal);
                Assert.Equal(ConformanceVerdict.Failed, result.Verdict);
                Assert.Matches(@"^line \d+, column \d+: ", result.Detail);
                break;
        }
    }

    /// <summary>uBPF files that only its own harness can run; SKIPPED.md says why for each group.</summary>
    private static readonly string[] UbpfHarnessOnly = ["reload.data", "unload_reload.data", "err-too-many-instructions.data", "err-unknown-opcode.data"];

    [Theory]
    [MemberData(nameof(UbpfFiles))]
    public void Ubpf_file_passes_or_needs_ubpfs_harness(string file)
    {
        var result = Run("ubpf-tests", file);
        var name = Path.GetFileName(file);
        if (file.StartsWith("elf", StringComparison.Ordinal))
        {
            Assert.Equal((ConformanceVerdict.Skipped, "unsupported directive 'pyelf'"), (result.Verdict, result.Detail));
        }
        else if (name is "alu.data" or "alu64.data" or "jmp.data" or "ldx.data" or "st.data" or "stx.data")
        {
            // Encoding-only files: the assembler tests check their -- raw words.
            Assert.Equal((ConformanceVerdict.Skipped, "no -- result or -- error section"), (result.Verdict, result.Detail));
        }
        else if (UbpfHarnessOnly.Contains(name))
        {
            Assert.Equal(ConformanceVerdict.Skipped, result.Verdict);
        }
        else
        {
            Assert.True(result.Verdict == ConformanceVerdict.Passed, result.ToString());
        }
    }
}

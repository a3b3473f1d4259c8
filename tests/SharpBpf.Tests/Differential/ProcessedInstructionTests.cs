using System.Diagnostics;
using System.Globalization;
using System.Text;
using SharpBpf.Loader;
using SharpBpf.Runtime;
using SharpBpf.Tests.Kernel;
using SharpBpf.Tests.Support;
using SharpBpf.Verifier;
using Xunit.Abstractions;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// SharpBpf walks a program as the kernel's verifier does, so it processes about as many instructions: the count of
/// every accepted corpus, verifier-data and example program is compared with the kernel's <c>processed N insns</c>,
/// recorded on Linux 6.18.44 by Data/processed/measure.sh into Data/processed/kernel.txt (docs/verifier.md has the table).
/// </summary>
public class ProcessedInstructionTests(ITestOutputHelper output)
{
    /// <summary>How far a count may be from the kernel's.</summary>
    private const double Tolerance = 0.10;

    // Measured 2026-12-08: 32-bit bounds and linked scalar ids (the kernel's) left each of these counts unchanged.
    private const string Exploration = "not the scalar domain (32-bit bounds and linked scalar ids did not change the count): the kernel keeps and matches states at other instructions, so each side prunes paths the other walks";

    private const string CallbackReentry = Exploration + "; here a bpf_loop callback whose caller state keeps changing: Linux verifies the callback again ('from 43 to 16', 'from 90 to 14') more often than SharpBpf, whose checkpoint at the call converges sooner";

    private const string CheckpointPlacement = Exploration + "; here Linux keeps a checkpoint inside a subprogram called a second time ('72: safe' on the third call) where SharpBpf's 2-jumps-8-instructions rule placed it elsewhere";

    /// <summary>Programs whose count is further than <see cref="Tolerance"/> from the kernel's, and why: each is a skipped test.</summary>
    private static readonly Dictionary<string, string> KnownGaps = new(StringComparer.Ordinal)
    {
        ["examples/loop_checksum.o checksum_packet"] = CallbackReentry,
        ["corpus/ok_fn_pointers_v3.o schedule"] = CheckpointPlacement,
        ["corpus/ok_fn_pointers_v4.o schedule"] = CheckpointPlacement,
        ["corpus/ok_loops_and_stack_v3.o scan_first_window"] = CallbackReentry,
        ["corpus/ok_loops_and_stack_v4.o scan_first_window"] = CallbackReentry,
        ["corpus/ok_loops_and_stack_v4.o walk_windows"] = Exploration + "; here Linux prunes an inner loop iteration at its header ('33: safe' after 'SCC backedge': 6.18 matches finished checkpoints of a loop still being explored by range) where SharpBpf walks on",
    };

    private static readonly Lazy<IReadOnlyList<(string Object, string Program, int Kernel)>> Recorded = new(Read);

    public static TheoryData<string, string, int> Programs
    {
        get
        {
            var data = new TheoryData<string, string, int>();
            foreach (var (obj, program, kernel) in Recorded.Value)
            {
                data.Add(obj, program, kernel);
            }

            return data;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void SharpBpf_processes_about_as_many_instructions_as_Linux(string relativePath, string program, int kernel)
    {
        int ours = Processed(relativePath, program);
        Skip.If(KnownGaps.TryGetValue($"{Short(relativePath)} {program}", out var gap), $"SharpBpf {ours}, Linux {kernel}: {gap}");
        double ratio = (double)ours / kernel;
        Assert.True(Math.Abs(ratio - 1) <= Tolerance, $"{relativePath} {program}: SharpBpf processed {ours}, Linux {kernel}");
    }

    [Fact]
    public void Every_known_gap_is_a_recorded_program()
    {
        var recorded = Recorded.Value.Select(r => $"{Short(r.Object)} {r.Program}").ToHashSet(StringComparer.Ordinal);
        Assert.All(KnownGaps.Keys, key => Assert.Contains(key, recorded));
    }

    [Fact]
    public void The_verifier_log_ends_with_the_kernels_statistics_line()
    {
        var (relativePath, program, _) = Recorded.Value[0];
        var spec = ObjectLoader.LoadFile(Path.Combine(TestPaths.RepoRoot, relativePath));
        var result = ObjectVerifier.Verify(spec, spec.FindProgram(program)!, new VerifierOptions { LogLevel = 1 });
        var last = result.Log.TrimEnd('\n').Split('\n')[^1];
        Assert.Matches(@"^processed \d+ insns \(limit 1000000\) max_states_per_insn \d+ total_states \d+ peak_states \d+ mark_read 0$", last);
        Assert.StartsWith($"processed {result.ProcessedInstructions} insns", last, StringComparison.Ordinal);
    }

    /// <summary>Prints the table docs/verifier.md shows (run with a detailed console logger to read it).</summary>
    [Fact]
    public void Table_of_counts()
    {
        var table = new StringBuilder("| object | program | Linux | SharpBpf | difference |\n|---|---|---:|---:|---:|\n");
        int within = 0;
        foreach (var (obj, program, kernel) in Recorded.Value)
        {
            var result = Verify(obj, program);
            int ours = result.ProcessedInstructions;
            double difference = ((double)ours - kernel) / kernel;
            within += result.Accepted && Math.Abs(difference) <= 0.1 ? 1 : 0;
            string verdict = result.Accepted ? $"{difference:+0%;-0%;0%}" : $"rejected at {result.InstructionIndex}: {result.Error}";
            table.Append(CultureInfo.InvariantCulture, $"| {Short(obj)} | {program} | {kernel} | {ours} | {verdict} |\n");
        }

        table.Append(CultureInfo.InvariantCulture, $"\n{within} of {Recorded.Value.Count} within 10%.\n");
        output.WriteLine(table.ToString());
        Assert.NotEqual(0, within);
    }

    /// <summary>The recorded counts are the running kernel's (bpftool -d prints each program's level-1 log).</summary>
    [RecordedKernelTheory(RecordedOn = KernelVerdicts.RecordedOn)]
    [MemberData(nameof(Objects))]
    public void The_recorded_counts_are_the_kernels(string relativePath)
    {
        // A build that refuses a helper upstream 6.18 offers (bpf_xdp_adjust_meta here) cannot give the count of an
        // accepted program: kernel.txt holds only programs that build accepted.
        using (KernelBuildDifferences.OpenOrSkip(Path.Combine(TestPaths.RepoRoot, relativePath)))
        {
        }

        var measured = KernelCounts(relativePath);
        Skip.If(measured is null, "bpftool is not installed");
        var expected = Recorded.Value.Where(r => r.Object == relativePath).ToDictionary(r => r.Program, r => r.Kernel);
        // Programs a build of 6.18 refuses for a build difference are not recorded; on a build that accepts them the
        // kernel measures them too, and only the recorded ones are compared.
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal),
            measured.Where(m => expected.ContainsKey(m.Key)).OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    private static string Short(string relativePath) => relativePath.Replace("tests/SharpBpf.Tests/Data/", "", StringComparison.Ordinal);

    public static TheoryData<string> Objects => [.. Recorded.Value.Select(r => r.Object).Distinct()];

    private static VerificationResult Verify(string relativePath, string program)
    {
        var spec = ObjectLoader.LoadFile(Path.Combine(TestPaths.RepoRoot, relativePath));
        return ObjectVerifier.Verify(spec, spec.FindProgram(program)!, new VerifierOptions { LogLevel = 0 });
    }

    private static int Processed(string relativePath, string program)
    {
        var result = Verify(relativePath, program);
        Assert.True(result.Accepted, $"{relativePath} {program}: insn {result.InstructionIndex}: {result.Error}");
        return result.ProcessedInstructions;
    }

    private static IReadOnlyList<(string, string, int)> Read() =>
        [.. File.ReadAllLines(Path.Combine(TestPaths.TestData, "processed", "kernel.txt"))
            .Where(line => line.Length > 0)
            .Select(line => line.Split(' '))
            .Select(parts => (parts[0], parts[1], int.Parse(parts[2], CultureInfo.InvariantCulture)))];

    private static Dictionary<string, int>? KernelCounts(string relativePath)
    {
        string pin = $"/sys/fs/bpf/sharpbpf-processed-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var start = new ProcessStartInfo("bpftool", ["-d", "prog", "loadall", Path.Combine(TestPaths.RepoRoot, relativePath), pin])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        using (process)
        {
            var stdout = process!.StandardOutput.ReadToEndAsync();
            string log = process.StandardError.ReadToEnd();
            process.WaitForExit();
            _ = stdout.Result;
            if (Directory.Exists(pin))
            {
                Directory.Delete(pin, recursive: true);
            }

            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            string? name = null;
            foreach (var line in log.Split('\n'))
            {
                if (line.StartsWith("libbpf: prog '", StringComparison.Ordinal) && line.Contains("BEGIN PROG LOAD LOG", StringComparison.Ordinal))
                {
                    name = line["libbpf: prog '".Length..line.IndexOf('\'', "libbpf: prog '".Length)];
                }
                else if (name is not null && line.StartsWith("processed ", StringComparison.Ordinal))
                {
                    counts[name] = int.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
                    name = null;
                }
            }

            return counts;
        }
    }
}

using System.Text.Json;
using SharpBpf.Loader;
using SharpBpf.Runtime;
using SharpBpf.Tests.Differential;
using SharpBpf.Tests.Support;
using SharpBpf.Verifier;

namespace SharpBpf.Tests.Cli;

/// <summary>
/// <c>sharpbpf verify</c> (shared CLI.md): exit 0 when every program is accepted and 1 when one is rejected (with the
/// summary on stderr), one verdict line per program, the log from level 1 on, the JSON shapes, and exit 2 for bad
/// input. Verdicts come from the public API, so each test compares the command with <see cref="ObjectVerifier"/>.
/// </summary>
public sealed class CliVerifyTests
{
    private static string Example(string name) => Path.Combine(TestPaths.RepoRoot, "examples", name);

    /// <summary>A program the kernel rejects (spec R9) and SharpBpf's load-time timer rules already refuse.</summary>
    private static string NotGpl => Path.Combine(TestPaths.TestData, "timers", "timer_not_gpl.o");

    private static VerificationResult ApiVerdict(string path, string program, int logLevel = 1)
    {
        var spec = ObjectLoader.LoadFile(path);
        return ObjectVerifier.Verify(spec, spec.FindProgram(program)!, new VerifierOptions { LogLevel = logLevel });
    }

    [Fact]
    public void Every_program_gets_a_line_and_an_accepted_object_exits_0()
    {
        var path = Example("tail_calls.o");
        var (code, output, error) = CliRunner.Run("verify", path);

        Assert.Equal((0, ""), (code, error));
        var programs = ObjectLoader.LoadFile(path).Programs.Select(p => p.Name).ToList();
        Assert.True(programs.Count > 1, "the example should hold several programs");
        Assert.Equal(programs.Select(p => $"{p}: accepted"), output.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void A_rejected_program_exits_1_with_its_insn_and_error_and_a_summary_on_stderr()
    {
        var (code, output, error) = CliRunner.Run("verify", NotGpl);
        var expected = ApiVerdict(NotGpl, "init_timer");

        Assert.Equal(1, code);
        Assert.False(expected.Accepted);
        Assert.Equal("cannot call GPL-restricted function from non-GPL compatible program", expected.Error);
        Assert.Equal($"init_timer: rejected at insn {expected.InstructionIndex}: {expected.Error}\n", output);
        Assert.Equal("sharpbpf: 1 of 1 program rejected: init_timer\n", error);
    }

    [Fact]
    public void Malformed_bytecode_in_a_well_formed_object_is_a_rejection_not_bad_input()
    {
        var path = Path.Combine(TestPaths.TestData, "verifier", "call_unreachable.o");
        var (code, output, error) = CliRunner.Run("verify", path);

        Assert.Equal(1, code);
        Assert.Equal("skip_one: rejected at insn 2: unreachable insn 2\n", output);
        Assert.Equal("sharpbpf: 1 of 1 program rejected: skip_one\n", error);
        var thrown = Assert.Throws<VerificationException>(() => BpfObject.Load(path));
        Assert.Equal(("unreachable insn 2", 2), (thrown.Summary, thrown.InstructionIndex));
    }

    [Fact]
    public void Log_level_1_adds_the_log_of_a_rejected_program_after_its_line()
    {
        var quiet = CliRunner.Run("verify", NotGpl, "--log-level", "0").Out;
        var (code, output, _) = CliRunner.Run("verify", NotGpl, "--log-level", "1");
        var log = ApiVerdict(NotGpl, "init_timer", logLevel: 1).Log;

        Assert.Equal(1, code);
        Assert.NotEmpty(log);
        Assert.Equal(quiet + log + (log.EndsWith('\n') ? "" : "\n"), output);
    }

    [Fact]
    public void Log_level_1_prints_nothing_more_for_accepted_programs()
    {
        var path = Example("health_check.o");
        Assert.Equal(CliRunner.Run("verify", path).Out, CliRunner.Run("verify", path, "--log-level", "1").Out);
    }

    [Fact]
    public void Json_with_prog_is_exactly_one_verdict_object()
    {
        var path = Example("subprograms.o");
        var program = ObjectLoader.LoadFile(path).Programs[^1].Name;
        var (code, output, _) = CliRunner.Run("verify", path, "--prog", program, "--json");

        Assert.Equal(0, code);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal(["program", "accepted", "error", "insn", "log"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(program, root.GetProperty("program").GetString());
        Assert.True(root.GetProperty("accepted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("insn").ValueKind);
        Assert.Equal(JsonValueKind.String, root.GetProperty("log").ValueKind);
    }

    [Fact]
    public void Json_of_a_rejection_carries_the_error_insn_and_log_of_the_api()
    {
        var (code, output, error) = CliRunner.Run("verify", NotGpl, "--prog", "init_timer", "--json", "--log-level", "2");
        var expected = ApiVerdict(NotGpl, "init_timer", logLevel: 2);

        Assert.Equal(1, code);
        Assert.Contains("init_timer", error, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.False(root.GetProperty("accepted").GetBoolean());
        Assert.Equal(expected.Error, root.GetProperty("error").GetString());
        Assert.Equal(expected.InstructionIndex, root.GetProperty("insn").GetInt32());
        Assert.Equal(expected.Log, root.GetProperty("log").GetString());
    }

    [Fact]
    public void Json_without_prog_lists_every_program_under_programs()
    {
        var path = Example("tail_calls.o");
        var (code, output, _) = CliRunner.Run("verify", path, "--json");

        Assert.Equal(0, code);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal(["accepted", "programs"], root.EnumerateObject().Select(p => p.Name));
        Assert.True(root.GetProperty("accepted").GetBoolean());
        var verdicts = root.GetProperty("programs").EnumerateArray().ToList();
        Assert.Equal(ObjectLoader.LoadFile(path).Programs.Select(p => p.Name), verdicts.Select(v => v.GetProperty("program").GetString()));
        Assert.All(verdicts, v => Assert.Equal(["program", "accepted", "error", "insn", "log"], v.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public void Json_without_prog_is_not_accepted_when_one_program_is_rejected()
    {
        var (code, output, _) = CliRunner.Run("verify", NotGpl, "--json");

        Assert.Equal(1, code);
        using var document = JsonDocument.Parse(output);
        Assert.False(document.RootElement.GetProperty("accepted").GetBoolean());
        Assert.False(document.RootElement.GetProperty("programs")[0].GetProperty("accepted").GetBoolean());
    }

    /// <summary>End to end against the kernel's measured verdicts (Data/verifier/expected.txt).</summary>
    [Theory]
    [MemberData(nameof(KernelVerdicts.RejectedObjects), MemberType = typeof(KernelVerdicts))]
    public void Each_rule_object_gets_the_kernels_verdict(string objectName)
    {
        var expected = KernelVerdicts.Rejected[objectName];
        var (code, output, _) = CliRunner.Run("verify", KernelVerdicts.PathOf(objectName), "--prog", expected.Program, "--json");

        Assert.Equal(1, code);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        KernelVerdicts.Verifier.AssertSameRejection(objectName, expected.Program, root.GetProperty("error").GetString(),
            root.TryGetProperty("insn", out var insn) && insn.ValueKind == JsonValueKind.Number ? insn.GetInt32() : null);
    }

    /// <summary>verify --engine kernel gives Linux's verdict in the same shape, each program loaded on its own.</summary>
    [SharpBpf.Tests.Kernel.RecordedKernelTheory(RecordedOn = KernelVerdicts.RecordedOn)]
    [MemberData(nameof(KernelVerdicts.RejectedObjects), MemberType = typeof(KernelVerdicts))]
    public void The_kernel_engine_reports_the_recorded_verdict(string objectName)
    {
        var expected = KernelVerdicts.Rejected[objectName];
        var (code, output, _) = CliRunner.Run("verify", KernelVerdicts.PathOf(objectName), "--prog", expected.Program, "--json", "--engine", "kernel");

        Assert.Equal(1, code);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        KernelVerdicts.Verifier.AssertSameRejection(objectName, root.GetProperty("program").GetString(), root.GetProperty("error").GetString(),
            root.GetProperty("insn").ValueKind == JsonValueKind.Number ? root.GetProperty("insn").GetInt32() : null);
    }

    [SharpBpf.Tests.Kernel.KernelFact]
    public void The_kernel_engine_judges_every_program_of_an_object_on_its_own()
    {
        var (code, output, _) = CliRunner.Run("verify", Example("subprograms.o"), "--json", "--engine", "kernel");
        Assert.Equal(0, code);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(["program_a", "program_b"], document.RootElement.GetProperty("programs").EnumerateArray().Select(p => p.GetProperty("program").GetString()));
        Assert.True(document.RootElement.GetProperty("accepted").GetBoolean());
    }

    [Fact]
    public void Kconfig_lines_from_a_file_resolve_strong_CONFIG_externs_for_run()
    {
        var probe = Path.Combine(TestPaths.TestData, "realworld", "kconfig_probe.o");
        var packet = Path.Combine(TestPaths.RepoRoot, "examples", "packets", "ipv4_udp.bin");
        var config = Path.GetTempFileName();
        try
        {
            File.WriteAllText(config, "CONFIG_BPF=y\nCONFIG_NET_CLS_ACT=m\nCONFIG_HZ=250\nCONFIG_DEFAULT_HOSTNAME=\"box\"\nCONFIG_LOCALVERSION=\"\"\n");
            var without = CliRunner.Run("run", probe, "--data-in", packet);
            Assert.Equal(2, without.ExitCode);
            Assert.Contains("extern 'CONFIG_HZ' (strong): not resolved", without.Error, StringComparison.Ordinal);

            var (code, output, error) = CliRunner.Run("run", probe, "--data-in", packet, "--kconfig", config, "--dump-maps", "--json");
            Assert.Equal((0, ""), (code, error));
            // The .kconfig map holds CONFIG_HZ = 250 (0xfa) where libbpf lays it out.
            Assert.Contains("fa000000", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void Json_keeps_quotes_as_they_are()
    {
        var (code, output, _) = CliRunner.Run("verify", KernelVerdicts.PathOf("call_size_unbounded.o"), "--json");
        Assert.Equal(1, code);
        Assert.Contains("use 'var &= const' or 'if (var < const)'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_program_is_bad_input_naming_the_programs_there_are()
    {
        var (code, output, error) = CliRunner.Run("verify", Example("health_check.o"), "--prog", "no_such_prog");
        Assert.Equal((2, ""), (code, output));
        Assert.Contains("no program named 'no_such_prog' in health_check.o (there are: count_and_check)", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("high")]
    public void A_log_level_other_than_0_1_2_is_bad_usage(string level)
    {
        var (code, output, error) = CliRunner.Run("verify", Example("health_check.o"), "--log-level", level);
        Assert.Equal((2, ""), (code, output));
        Assert.Contains(level, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_bad_input()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"sharpbpf-missing-{Guid.NewGuid():N}.o");
        var (code, output, error) = CliRunner.Run("verify", missing);
        Assert.Equal((2, ""), (code, output));
        Assert.StartsWith("sharpbpf: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_object_for_another_machine_is_bad_input()
    {
        var (code, output, error) = CliRunner.Run("verify", Path.Combine(TestPaths.TestData, "elf", "not_bpf.x86_64.obj"));
        Assert.Equal((2, ""), (code, output));
        Assert.Contains("EM_BPF", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_object_without_programs_says_so_and_exits_0()
    {
        var path = Path.Combine(TestPaths.TestData, "asm", "all-rows.o");
        Assert.Empty(ObjectLoader.LoadFile(path).Programs);
        Assert.Equal((0, "all-rows.o: no programs\n", ""), CliRunner.Run("verify", path));
    }

    [Fact]
    public void The_verdicts_match_loading_the_object()
    {
        // verify must say what BpfObject.Load would do: the first rejected program is the one Load names.
        var error = Assert.Throws<VerificationException>(() => BpfObject.Load(NotGpl));
        var (_, output, _) = CliRunner.Run("verify", NotGpl);
        Assert.Equal($"{error.Program}: rejected at insn {error.InstructionIndex}: {error.Summary}\n", output);
    }
}

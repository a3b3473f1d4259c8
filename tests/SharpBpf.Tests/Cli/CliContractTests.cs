using System.Text.Json;
using SharpBpf.Isa;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Cli;

/// <summary>The command-line contract (shared CLI.md): output shapes and exit codes 0/1/2/3.</summary>
public sealed class CliContractTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("sharpbpf-cli-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private string Scratch(string name, string text)
    {
        var path = Path.Combine(_scratch, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Example(string name) => Path.Combine(TestPaths.RepoRoot, "examples", name);

    [Fact]
    public void Asm_writes_little_endian_bytecode_that_disasm_reads_back()
    {
        var source = Scratch("prog.s", "mov %r0, 7\nadd %r0, 0x10\nexit\n");
        var binary = Path.Combine(_scratch, "prog.bin");

        var asm = CliRunner.Run("asm", source, "-o", binary);
        Assert.Equal(0, asm.ExitCode);
        Assert.Equal(Instruction.Encode([new(Opcodes.Mov64Imm, 0, 0, 0, 7), new(Opcodes.Add64Imm, 0, 0, 0, 16), new(Opcodes.Exit, 0, 0, 0, 0)]),
            File.ReadAllBytes(binary));

        var llvm = CliRunner.Run("disasm", binary);
        Assert.Equal(0, llvm.ExitCode);
        Assert.Equal(
            "       0:\tb7 00 00 00 07 00 00 00\tr0 = 0x7\n       1:\t07 00 00 00 10 00 00 00\tr0 += 0x10\n       2:\t95 00 00 00 00 00 00 00\texit\n",
            llvm.Out);
        Assert.Equal("mov %r0, 7\nadd %r0, 16\nexit\n", CliRunner.Run("disasm", binary, "--syntax", "asm").Out);
    }

    [Fact]
    public void Asm_syntax_error_names_the_line_and_exits_2()
    {
        var source = Scratch("bad.s", "mov %r0, 1\nldxq %r0, [%r1]\nexit\n");
        var (code, _, error) = CliRunner.Run("asm", source);
        Assert.Equal(2, code);
        Assert.Contains("line 2, column 1: unknown mnemonic 'ldxq'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Asm_refuses_a_jump_outside_the_program()
    {
        var (code, _, error) = CliRunner.Run("asm", Scratch("jump.s", "ja +5\nexit\n"));
        Assert.Equal(2, code);
        Assert.Contains("insn 0: jump out of range from insn 0 to 6", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Disasm_of_a_partial_slot_is_bad_input()
    {
        var path = Path.Combine(_scratch, "odd.bin");
        File.WriteAllBytes(path, new byte[12]);
        var (code, _, error) = CliRunner.Run("disasm", path);
        Assert.Equal(2, code);
        Assert.Contains("12 bytes is not a whole number of 8-byte instructions", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Conformance_prints_a_line_per_file_and_the_totals_last()
    {
        var pass = Scratch("pass.data", "-- asm\nmov %r0, 3\nexit\n-- result\n0x3\n");
        var fail = Scratch("fail.data", "-- asm\nmov %r0, 3\nexit\n-- result\n0x4\n");

        var both = CliRunner.Run("conformance", pass, fail);
        Assert.Equal(1, both.ExitCode);
        var lines = both.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(["PASS pass.data", "FAIL fail.data: expected 0x4, got 0x3", "1 passed, 1 failed"], lines);

        Assert.Equal(0, CliRunner.Run("conformance", pass).ExitCode);
        Assert.Equal(2, CliRunner.Run("conformance", Path.Combine(_scratch, "missing.data")).ExitCode);
    }

    [Fact]
    public void Conformance_over_the_whole_suite_passes()
    {
        var (code, output, _) = CliRunner.Run("conformance", Path.Combine(TestPaths.SharedConformance, "tests"));
        Assert.Equal(0, code);
        Assert.EndsWith("313 passed, 0 failed\n", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("show")]
    [InlineData("disasm", "x.bin", "--syntax", "intel")]
    [InlineData("conformance", "x", "--engine", "warp")]
    [InlineData("run", "x.o", "--clock", "sundial")]
    public void Usage_errors_exit_2(params string[] args)
    {
        var (code, _, error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith("sharpbpf: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_json_keeps_the_contract_shape()
    {
        var (code, output, _) = CliRunner.Run("show", Example("conntrack_timers.o"), "--json");
        Assert.Equal(0, code);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal("GPL", root.GetProperty("license").GetString());
        var program = root.GetProperty("programs")[0];
        Assert.Equal("track_connections", program.GetProperty("name").GetString());
        Assert.Equal("xdp", program.GetProperty("section").GetString());
        Assert.Equal("xdp", program.GetProperty("type").GetString());
        Assert.True(program.GetProperty("instructions").GetInt32() > 0);
        var flows = root.GetProperty("maps").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "flows");
        Assert.Equal("lru_hash", flows.GetProperty("type").GetString());
        Assert.Equal(16, flows.GetProperty("key_size").GetInt32());
        Assert.Equal("struct flow_key", flows.GetProperty("key_type").GetString());
        var timer = flows.GetProperty("special_fields")[0];
        Assert.Equal(("bpf_timer", 0), (timer.GetProperty("kind").GetString(), timer.GetProperty("offset").GetInt32()));
        Assert.Contains(root.GetProperty("maps").EnumerateArray(), m => m.GetProperty("name").GetString() == "conntrac.rodata");
    }

    [Fact]
    public void Show_of_a_malformed_object_names_the_problem_and_exits_2()
    {
        var bytes = File.ReadAllBytes(Example("conntrack_timers.o"));
        var path = Path.Combine(_scratch, "truncated.o");
        File.WriteAllBytes(path, bytes.AsSpan(0, 100).ToArray());
        var (code, _, error) = CliRunner.Run("show", path);
        Assert.Equal(2, code);
        Assert.Contains("truncated.o", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Disasm_of_an_object_lists_each_program_with_source_lines()
    {
        var (code, output, _) = CliRunner.Run("disasm", Example("health_check.o"), "--prog", "count_and_check", "--source");
        Assert.Equal(0, code);
        Assert.StartsWith("Disassembly of program count_and_check (section xdp, xdp):", output, StringComparison.Ordinal);
        Assert.Contains("<count_and_check>:", output, StringComparison.Ordinal);
        Assert.Contains("; struct health *state = bpf_map_lookup_elem(&health_state, &zero);", output, StringComparison.Ordinal);
        Assert.Contains("call 0xa9", output, StringComparison.Ordinal);

        var unknown = CliRunner.Run("disasm", Example("health_check.o"), "--prog", "nope");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("count_and_check", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_step_syntax_errors_exit_2()
    {
        var (code, _, error) = CliRunner.Run("run", Example("health_check.o"), "--step", "advance:10 parsecs");
        Assert.Equal(2, code);
        Assert.Contains("bad duration", error, StringComparison.Ordinal);
    }
}

using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Cli;

/// <summary><c>run --checked</c> checks every access; without it proven accesses run unchecked, with the same output.</summary>
public class CliCheckedModeTests
{
    private static string Example(string name) => Path.Combine(TestPaths.RepoRoot, "examples", name);

    [Theory]
    [InlineData("interpreter")]
    [InlineData("jit")]
    public void Run_gives_the_same_report_with_and_without_checked(string engine)
    {
        var packet = Path.Combine(TestPaths.RepoRoot, "examples", "packets", "ipv4_tcp_telnet.bin");
        string[] args = ["run", Example("packet_parser.o"), "--data-in", packet, "--engine", engine, "--dump-maps", "--json"];
        var proven = CliRunner.Run(args);
        var everyAccessChecked = CliRunner.Run([.. args, "--checked"]);
        Assert.Equal(0, proven.ExitCode);
        Assert.Equal((proven.ExitCode, WithoutDuration(proven.Out)), (everyAccessChecked.ExitCode, WithoutDuration(everyAccessChecked.Out)));
    }

    /// <summary>The report without its measured run time, the one field that differs between two runs.</summary>
    private static string WithoutDuration(string json) =>
        System.Text.RegularExpressions.Regex.Replace(json, "\"duration_ns\": [0-9]+", "\"duration_ns\": 0");

    [Fact]
    public void Checked_is_a_flag_of_run_and_replay()
    {
        Assert.Contains("--checked", CliRunner.Run("run", "--help").Out, StringComparison.Ordinal);
        Assert.Contains("--checked", CliRunner.Run("replay", "--help").Out, StringComparison.Ordinal);
    }
}

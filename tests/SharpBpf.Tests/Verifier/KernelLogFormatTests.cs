using System.Text.RegularExpressions;
using SharpBpf.Helpers.Kfuncs;
using SharpBpf.Loader;
using SharpBpf.Tests.Support;
using SharpBpf.Verifier;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// The verifier log prints instructions as the kernel's does: every instruction line of the kernel's level-2 logs
/// of the rule objects (measured on Linux 6.18) is compared with SharpBpf's rendering of the same slot.
/// </summary>
public partial class KernelLogFormatTests
{
    [GeneratedRegex(@"^(\d+): (\([0-9a-f]{2}\) .*?)(\s+;.*)?$")]
    private static partial Regex InstructionLine();

    public static TheoryData<string> KernelLogs() =>
        [.. Directory.EnumerateFiles(Path.Combine(TestPaths.TestData, "verifier", "kernel-logs"), "*.level2.txt").Select(f => Path.GetFileName(f)!).Order()];

    [Theory]
    [MemberData(nameof(KernelLogs))]
    public void Instructions_print_as_in_the_kernels_log(string log)
    {
        var objectName = log.Replace(".level2.txt", ".o", StringComparison.Ordinal);
        var spec = ObjectLoader.LoadFile(Path.Combine(TestPaths.TestData, "verifier", objectName));
        var program = spec.Programs.Single(p => !p.IsOptional);
        var code = program.Instructions;
        var compared = 0;
        foreach (var line in File.ReadLines(Path.Combine(TestPaths.TestData, "verifier", "kernel-logs", log)))
        {
            var match = InstructionLine().Match(line);
            if (!match.Success || match.Groups[2].Value.StartsWith("(18)", StringComparison.Ordinal))
            {
                continue; // lddw prints kernel addresses
            }

            var slot = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (program.KfuncReferences.FirstOrDefault(k => k.Slot == slot) is { Name: { } kfunc } && KfuncTable.TryGet(kfunc, out _))
            {
                // A kfunc call prints the kernel's BTF id, which SharpBpf does not share: the name must match.
                Assert.StartsWith($"(85) call {kfunc}#", match.Groups[2].Value, StringComparison.Ordinal);
                compared++;
                continue;
            }

            var ours = KernelInstructionFormatter.Format(code[slot], slot + 1 < code.Length ? code[slot + 1] : null);
            Assert.Equal(match.Groups[2].Value.TrimEnd(), ours);
            compared++;
        }

        // Rejections before the walk (call_unreachable, call_spin_lock_tracing) or at its first instructions print fewer
        // (ref_cast_unchecked_arg is refused at insn 1).
        var expectedAtLeast = log.StartsWith("call_", StringComparison.Ordinal) || log.StartsWith("kfunc_rcu_", StringComparison.Ordinal)
            || log == "ref_cast_unchecked_arg.level2.txt" ? 0 : 3;
        Assert.True(compared >= expectedAtLeast, $"only {compared} instruction lines in {log}");
    }
}

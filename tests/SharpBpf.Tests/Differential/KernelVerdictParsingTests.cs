using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// The recorded kernel logs, as another build of the same kernel would print them (register ids shifted), still give
/// the recorded reason line and instruction: what the kernel comparisons read does not depend on the build.
/// </summary>
public partial class KernelVerdictParsingTests
{
    public static TheoryData<string, string> RecordedLogs()
    {
        var logs = new TheoryData<string, string>();
        foreach (var table in new[] { KernelVerdicts.Verifier, KernelVerdicts.Corpus })
        {
            foreach (var objectName in table.Rejected.Keys.Order(StringComparer.Ordinal))
            {
                // Level 1 where it was kept, else level 2: the reason and its instruction read the same from both.
                var logName = new[] { ".level1.txt", ".level2.txt" }.Select(e => Path.ChangeExtension(objectName, e))
                    .FirstOrDefault(name => File.Exists(Path.Combine(table.Folder, "kernel-logs", name)));
                if (logName is not null) logs.Add(Path.GetFileName(table.Folder), logName);
            }
        }

        return logs;
    }

    [Theory]
    [MemberData(nameof(RecordedLogs))]
    public void A_recorded_log_with_shifted_ids_gives_the_recorded_reason_and_instruction(string folder, string logName)
    {
        var table = folder == "corpus" ? KernelVerdicts.Corpus : KernelVerdicts.Verifier;
        var expected = table.Rejected[logName.Replace(".level1.txt", ".o", StringComparison.Ordinal).Replace(".level2.txt", ".o", StringComparison.Ordinal)];
        var log = File.ReadAllText(Path.Combine(table.Folder, "kernel-logs", logName));

        foreach (var shift in new[] { 0, 2, 17 })
        {
            var (reason, instruction) = KernelVerdicts.Parse(ShiftIds(log, shift));
            KernelText.AssertSameReason(expected.Error, reason);
            Assert.Equal(expected.Instruction, instruction);
        }
    }

    [Fact]
    public void The_reason_is_the_line_before_the_state_dumps_and_names_its_own_instruction()
    {
        const string log = """
            38: (55) if r0 != 0x0 goto pc+32      ; R0=0
            39: (bf) r1 = r7
            infinite loop detected at insn 40
            cur state: R0=0 fp-32=scalar(id=11,smin=0)
            old state: R0=0 fp-32=scalar(id=8,smin=0)
            processed 261 insns (limit 1000000) max_states_per_insn 2 total_states 24 peak_states 24 mark_read 0
            """;
        Assert.Equal(("infinite loop detected at insn 40", (int?)40), KernelVerdicts.Parse(log));
    }

    [Theory]
    [InlineData("R1 type=scalar(id=3) expected=fp", "R1 type=scalar(id=9) expected=fp", true)]
    [InlineData("timer pointer in R1 map_uid=1 doesn't match map pointer in R2 map_uid=0", "timer pointer in R1 map_uid=3 doesn't match map pointer in R2 map_uid=0", true)]
    [InlineData("R1 offset is outside of the packet", "R2 offset is outside of the packet", false)]
    [InlineData("invalid access to map value, value_size=24 off=24 size=4", "invalid access to map value, value_size=24 off=20 size=4", false)]
    [InlineData("leaked pointer 0xffff888012345678", "leaked pointer 0xffff888087654321", true)]
    public void Volatile_numbers_are_set_aside_and_nothing_else(string expected, string actual, bool same)
        => Assert.Equal(same, KernelText.SameReason(expected, actual));

    private static string ShiftIds(string log, int shift) =>
        IdNumber().Replace(log, m => m.Groups["name"].Value + "=" + (int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture) + shift).ToString(CultureInfo.InvariantCulture));

    [GeneratedRegex(@"\b(?<name>id|map_uid)=(?<n>\d+)")]
    private static partial Regex IdNumber();
}

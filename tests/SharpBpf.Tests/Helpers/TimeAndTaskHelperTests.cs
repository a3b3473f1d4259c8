using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Maps;
using SharpBpf.Time;
using static SharpBpf.Tests.Helpers.HelperKit;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Helpers;

public class TimeAndTaskHelperTests
{
    [Fact]
    public void Time_helpers_read_the_environment_clock_on_their_clock_ids()
    {
        var clock = new VirtualClock(startMonotonicNs: 5_000_000_000, bootOffsetNs: 700, realtimeOffsetNs: 1_700_000_000_000_000_000, taiOffsetNs: 37_000_000_000);
        var registry = BuiltInHelpers.CreateRegistry(HelperKit.Environment(clock));
        var program = P(
            Call(HelperId.KtimeGetNs), Save(0),
            Call(HelperId.KtimeGetBootNs), Save(1),
            Call(HelperId.KtimeGetCoarseNs), Save(2),
            Call(HelperId.KtimeGetTaiNs), Save(3),
            Call(HelperId.Jiffies64), Save(4));

        var first = Results(program, registry, 5);
        clock.Advance(1_000_000_000);
        var second = Results(program, registry, 5);

        Assert.Equal((ulong)clock.GetTime(ClockId.Monotonic) - 1_000_000_000, first[0]);
        Assert.Equal([(ulong)clock.GetTime(ClockId.Monotonic), (ulong)clock.GetTime(ClockId.Boottime),
            (ulong)clock.GetTime(ClockId.MonotonicCoarse), (ulong)clock.GetTime(ClockId.Tai)], second[..4]);
        Assert.Equal(6_000_000_700UL, second[1]);
        // INITIAL_JIFFIES for HZ = 250 is 2^32 - 300 * 250; 6 s of uptime are 1500 jiffies.
        Assert.Equal(4_294_892_296UL + 1500, second[4]);
        Assert.Equal(4_294_967_296UL - 300_000, TimeHelpers.InitialJiffies(1000));
        Assert.Equal(250UL, second[4] - first[4]);
    }

    [Fact]
    public void Jiffies_follow_the_configured_hz()
    {
        var clock = new VirtualClock(startMonotonicNs: 2_000_000_000);
        var registry = BuiltInHelpers.CreateRegistry(new HelperEnvironment { Clock = clock, JiffiesHz = 1000 });
        Assert.Equal([TimeHelpers.InitialJiffies(1000) + 2000], Results(P(Call(HelperId.Jiffies64), Save(0)), registry, 1));
    }

    [Fact]
    public void Prandom_is_deterministic_for_a_seed_and_differs_between_seeds()
    {
        var program = P(Call(HelperId.GetPrandomU32), Save(0), Call(HelperId.GetPrandomU32), Save(1), Call(HelperId.GetPrandomU32), Save(2));
        var a = Results(program, BuiltInHelpers.CreateRegistry(HelperKit.Environment(seed: 7)), 3);
        var b = Results(program, BuiltInHelpers.CreateRegistry(HelperKit.Environment(seed: 7)), 3);
        var c = Results(program, BuiltInHelpers.CreateRegistry(HelperKit.Environment(seed: 8)), 3);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(3, a.Distinct().Count());
        Assert.All(a, v => Assert.True(v <= uint.MaxValue));
    }

    [Fact]
    public void Smp_processor_id_is_the_run_cpu()
    {
        var registry = BuiltInHelpers.CreateRegistry(HelperKit.Environment());
        var program = P(Call(HelperId.GetSmpProcessorId), Save(0));
        Assert.Equal([3UL], Results(program, registry, 1, cpu: 3));
        Assert.Equal([0UL], Results(program, registry, 1, cpu: 0));
    }

    [Fact]
    public void Pid_tgid_packs_the_process_id_above_the_thread_id()
    {
        var registry = BuiltInHelpers.CreateRegistry(HelperKit.Environment());
        Assert.Equal([(4242UL << 32) | 4243], Results(P(Call(HelperId.GetCurrentPidTgid), Save(0)), registry, 1));
    }

    [Fact]
    public void The_real_host_process_gives_this_process_id_and_a_thread_of_it()
    {
        var registry = BuiltInHelpers.CreateRegistry(new HelperEnvironment());
        var value = Results(P(Call(HelperId.GetCurrentPidTgid), Save(0)), registry, 1)[0];
        Assert.Equal((ulong)System.Environment.ProcessId, value >> 32);
        Assert.NotEqual(0UL, value & uint.MaxValue);
        if (OperatingSystem.IsLinux())
        {
            Assert.True(Directory.Exists($"/proc/{System.Environment.ProcessId}/task/{value & uint.MaxValue}"));
        }
    }

    [Theory]
    [InlineData(16, "sharpbpf-test\0\0\0")]
    [InlineData(8, "sharpbp\0")]
    [InlineData(24, "sharpbpf-test\0\0\0\0\0\0\0\0\0\0\0")]
    public void Comm_is_copied_nul_terminated_and_padded(int size, string expected)
    {
        var registry = BuiltInHelpers.CreateRegistry(new HelperEnvironment { Process = new FixedHostProcess(1, 1, "sharpbpf-test") });
        var program = P(
            StDw(10, -32, -1), StDw(10, -24, -1), StDw(10, -16, -1), StDw(10, -8, -1),
            StackPointer(1, -32), Mov(2, size), Call(HelperId.GetCurrentComm), Save(0),
            LdxDw(0, 10, -32), Save(1), LdxDw(0, 10, -24), Save(2), LdxDw(0, 10, -16), Save(3), LdxDw(0, 10, -8), Save(4));
        var results = Results(program, registry, 5);
        Assert.Equal(0UL, results[0]);
        var bytes = results[1..].SelectMany(BitConverter.GetBytes).ToArray();
        Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(bytes, 0, size));
        Assert.All(bytes[size..], b => Assert.Equal(0xFF, b));
    }

    [Fact]
    public void Comm_keeps_at_most_fifteen_characters()
    {
        var registry = BuiltInHelpers.CreateRegistry(new HelperEnvironment { Process = new FixedHostProcess(1, 1, "a-process-name-longer-than-fifteen") });
        var program = P(StackPointer(1, -32), Mov(2, 32), Call(HelperId.GetCurrentComm),
            LdxDw(0, 10, -32), Save(0), LdxDw(0, 10, -24), Save(1), LdxDw(0, 10, -16), Save(2));
        var bytes = Results(program, registry, 3).SelectMany(BitConverter.GetBytes).ToArray();
        Assert.Equal("a-process-name-", System.Text.Encoding.ASCII.GetString(bytes, 0, 15));
        Assert.All(bytes[15..], b => Assert.Equal(0, b));
    }
}

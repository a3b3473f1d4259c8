using SharpBpf.Kernel;
using SharpBpf.Runtime;
using SharpBpf.Tests.Kernel;
using SharpBpf.Tests.Support;
using SharpBpf.Time;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// Timer rules of the spec, measured in both worlds with one probe program (Data/timers/timer_rules.c): every
/// helper return value and every callback count lands in maps, which must be byte-identical between Linux (real
/// time, 50 ms of waiting) and SharpBpf (virtual time advanced by 50 ms). Timing only decides when callbacks run;
/// no return value has a tolerance.
/// </summary>
public class TimerRulesDifferentialTests
{
    private static string Probe => Path.Combine(TestPaths.TestData, "timers", "timer_rules.o");

    [KernelTheory]
    [InlineData(EngineKind.Interpreter)]
    [InlineData(EngineKind.Jit)]
    public void Timer_rules_give_the_kernels_return_values_and_fires(EngineKind engine)
    {
        using var kernel = KernelObject.Open(Probe);
        Assert.Equal(0u, kernel.Programs["probe_rules"].Run().ReturnValue);
        kernel.WaitRealTime(TimeSpan.FromMilliseconds(50));
        Assert.Equal(0u, kernel.Programs["probe_after"].Run().ReturnValue);

        var clock = new VirtualClock();
        using var ours = BpfObject.Load(Probe, new BpfObjectOptions { Clock = clock, Engine = engine });
        Assert.Equal(0ul, ours.Programs["probe_rules"].Run().ReturnValue);
        clock.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal(0ul, ours.Programs["probe_after"].Run().ReturnValue);

        var expected = MapContents.Of(kernel.Maps);
        Assert.Equal(expected, MapContents.Of(ours.Maps));
        // The probe must have exercised what it claims: -EBUSY, -EDEADLK from callbacks, fires on three timers.
        Assert.Equal(Hex(-16), expected["results[06000000]"]);
        Assert.Equal(Hex(-35), expected["results[28000000]"]);
        Assert.Equal(Hex(1), expected["results[0f000000]"]);
        Assert.Equal(Hex(2), expected["fired[03000000]"]);
    }

    private static string Hex(long value) => Convert.ToHexStringLower(BitConverter.GetBytes(value));
}

using SharpBpf.Maps;
using SharpBpf.Runtime;
using SharpBpf.Tests.Cli;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Runtime;

/// <summary>Bad objects get the kernel's answer at load, and the CLI's exit code for bad input.</summary>
public class BpfObjectLoadTests
{
    private static string Timers(string file) => Path.Combine(TestPaths.TestData, "timers", file);

    [Fact]
    public void A_timer_in_a_per_cpu_map_is_refused_with_eopnotsupp()
    {
        var error = Assert.Throws<MapCreateException>(() => BpfObject.Load(Timers("timer_percpu.o")));
        Assert.Equal((Errno.EOPNOTSUPP, "per_cpu_timers"), (error.Errno, error.MapName));

        var (code, _, stderr) = CliRunner.Run("run", Timers("timer_percpu.o"));
        Assert.Equal(2, code);
        Assert.Contains("-EOPNOTSUPP", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposing_an_object_with_armed_timers_cancels_them_all()
    {
        var clock = new SharpBpf.Time.VirtualClock();
        var obj = BpfObject.Load(Timers("timer_rules.o"), new BpfObjectOptions { Clock = clock });
        Assert.Equal(0ul, obj.Programs["probe_rules"].Run().ReturnValue);
        Assert.NotEmpty(obj.Timers.GetTimers());
        obj.Dispose();
        Assert.Equal(0, clock.Advance(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(42)]
    public void The_timer_driver_priority_comes_from_the_options_and_is_SCHED_FIFO_10_by_default(int? priority)
    {
        var options = priority is { } asked ? new BpfObjectOptions { TimerSchedulingPriority = asked } : new BpfObjectOptions();
        using var obj = BpfObject.Load(Timers("timer_rules.o"), options);
        Assert.Equal(priority ?? 10, obj.Timers.RealTimeSchedulingPriority);
    }
}

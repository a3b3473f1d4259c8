using SharpBpf.Runtime;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Runtime;

/// <summary>bpf_timer_set_callback runs on every arm in the usual pattern: the runtime reuses the callback object of
/// the last subprogram instead of allocating one per call, and never hands out one for another subprogram.</summary>
public class ProgramTimerCallbackTests
{
    [Fact]
    public void The_callback_of_the_last_subprogram_is_reused_and_another_subprogram_gets_its_own()
    {
        using var obj = BpfObject.Load(Path.Combine(TestPaths.TestData, "timers", "timer_rules.o"));
        var program = obj.Programs["probe_rules"];

        var first = program.TimerCallbackAt(5);
        Assert.Same(first, program.TimerCallbackAt(5));
        Assert.Same(program, first.Program);

        var other = program.TimerCallbackAt(9);
        Assert.Equal(9, other.Slot);
        Assert.Same(program, other.Program);

        var again = program.TimerCallbackAt(5);
        Assert.Equal(5, again.Slot);
        Assert.Equal(9, other.Slot);
    }
}

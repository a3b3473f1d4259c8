using SharpBpf.Time;
using SharpBpf.Timers;

namespace SharpBpf.Tests.Timers;

/// <summary>API misuse and the callback context flag.</summary>
public sealed class TimerServiceApiTests
{
    private sealed class FakeVirtualClock : IBpfClock
    {
        public bool IsVirtual => true;
        public long GetTime(ClockId clock) => 0;
    }

    [Fact]
    public void A_virtual_clock_that_is_not_a_VirtualClock_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new TimerService(new FakeVirtualClock()));
    }

    [Fact]
    public void InCallback_is_true_only_on_the_thread_running_a_callback()
    {
        using var f = new TimerFixture();
        var callback = f.Ready(0);
        var inside = false;
        callback.Body = (_, _, _) => inside = TimerService.InCallback;
        f.Service.Start(f.Map.Timer(0), 0, 0);
        f.Clock.Advance(0);
        Assert.True(inside);
        Assert.False(TimerService.InCallback);
    }

    [Fact]
    public void Disposing_or_advancing_from_a_callback_is_refused_and_recorded_as_a_fault()
    {
        using var f = new TimerFixture { ExpectFaults = true };
        var callback = f.Ready(0);
        callback.Body = (_, _, _) => f.Service.Dispose();
        f.Service.Start(f.Map.Timer(0), 0, 0);
        f.Clock.Advance(0);
        callback.Body = (_, _, _) => f.Clock.Advance(1);
        f.Service.Start(f.Map.Timer(0), 0, 0);
        f.Clock.Advance(0);
        Assert.Equal(2, f.Service.FaultCount);
        Assert.All(f.Service.Faults, fault => Assert.IsType<InvalidOperationException>(fault.Exception));
        Assert.Equal(0, f.Service.Start(f.Map.Timer(0), 0, 0)); // the service is still alive
    }
}

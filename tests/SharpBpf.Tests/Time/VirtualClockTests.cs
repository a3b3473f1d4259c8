using SharpBpf.Time;

namespace SharpBpf.Tests.Time;

public class VirtualClockTests
{
    /// <summary>A scheduler of plain deadlines that records the order in which it fired them.</summary>
    private sealed class RecordingScheduler(VirtualClock clock) : IVirtualTimeScheduler
    {
        private readonly PriorityQueue<(string Name, Action? Then), (long, long)> _queue = new();
        private long _sequence;

        public List<(string Name, long At)> Fired { get; } = [];

        public void Arm(string name, long deadline, Action? then = null) => _queue.Enqueue((name, then), (deadline, _sequence++));

        public long? NextDeadline => _queue.TryPeek(out _, out var key) ? key.Item1 : null;

        public bool FireNext()
        {
            if (!_queue.TryPeek(out _, out var key) || key.Item1 > clock.Now)
            {
                return false;
            }

            var (name, then) = _queue.Dequeue();
            Fired.Add((name, clock.Now));
            then?.Invoke();
            return true;
        }
    }

    [Fact]
    public void Time_moves_only_when_advanced()
    {
        var clock = new VirtualClock(startMonotonicNs: 5_000);
        Assert.Equal(5_000, clock.GetTime(ClockId.Monotonic));
        Assert.Equal(5_000, clock.GetTime(ClockId.Monotonic));
        Assert.Equal(0, clock.Advance(TimeSpan.FromMilliseconds(2)));
        Assert.Equal(2_005_000, clock.Now);
    }

    [Fact]
    public void Clocks_keep_their_offsets()
    {
        var clock = new VirtualClock(startMonotonicNs: 100, bootOffsetNs: 50, realtimeOffsetNs: 1_000_000, taiOffsetNs: 37);
        Assert.Equal(150, clock.GetTime(ClockId.Boottime));
        Assert.Equal(1_000_100, clock.GetTime(ClockId.Realtime));
        Assert.Equal(1_000_137, clock.GetTime(ClockId.Tai));
        Assert.Equal(100, clock.GetTime(ClockId.MonotonicCoarse));
        Assert.Equal(100, clock.ToMonotonic(ClockId.Realtime, 1_000_100));
        Assert.Equal(long.MinValue, clock.ToMonotonic(ClockId.Realtime, long.MinValue + 5));
    }

    [Fact]
    public void Due_timers_fire_in_deadline_then_arming_order_at_their_deadline()
    {
        var clock = new VirtualClock(startMonotonicNs: 0);
        var scheduler = new RecordingScheduler(clock);
        clock.Attach(scheduler);
        scheduler.Arm("late", 300);
        scheduler.Arm("tie-first", 200);
        scheduler.Arm("tie-second", 200);
        scheduler.Arm("beyond", 1_000);

        Assert.Equal(3, clock.AdvanceTo(500));

        Assert.Equal([("tie-first", 200L), ("tie-second", 200L), ("late", 300L)], scheduler.Fired);
        Assert.Equal(500, clock.Now);
        Assert.Equal(1_000, scheduler.NextDeadline);
    }

    [Fact]
    public void Timers_armed_by_callbacks_fire_within_the_same_advance()
    {
        var clock = new VirtualClock(startMonotonicNs: 0);
        var scheduler = new RecordingScheduler(clock);
        clock.Attach(scheduler);
        var rearms = 0;
        void Periodic()
        {
            if (++rearms < 5)
            {
                scheduler.Arm("tick", clock.Now + 100, Periodic);
            }
        }

        scheduler.Arm("tick", 100, Periodic);
        scheduler.Arm("other", 250);

        clock.Advance(450);

        Assert.Equal([100L, 200L, 250L, 300L, 400L], scheduler.Fired.Select(f => f.At));
        Assert.Equal(500, scheduler.NextDeadline);
    }

    [Fact]
    public void A_callback_that_rearms_for_now_forever_is_stopped()
    {
        var clock = new VirtualClock(startMonotonicNs: 0) { MaxFiresPerAdvance = 1_000 };
        var scheduler = new RecordingScheduler(clock);
        clock.Attach(scheduler);
        void Storm() => scheduler.Arm("storm", clock.Now, Storm);
        scheduler.Arm("storm", 10, Storm);

        var error = Assert.Throws<InvalidOperationException>(() => clock.Advance(100));
        Assert.Contains("re-arming", error.Message, StringComparison.Ordinal);
        Assert.Equal(1_001, scheduler.Fired.Count);
    }

    [Fact]
    public void Time_does_not_go_backwards_and_callbacks_cannot_advance()
    {
        var clock = new VirtualClock(startMonotonicNs: 1_000);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.AdvanceTo(999));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(-1));

        var scheduler = new RecordingScheduler(clock);
        clock.Attach(scheduler);
        scheduler.Arm("nested", 1_500, () => clock.Advance(1));
        Assert.Throws<InvalidOperationException>(() => clock.Advance(1_000));
    }

    [Fact]
    public void Advance_saturates_at_the_end_of_time()
    {
        var clock = new VirtualClock(startMonotonicNs: 10);
        clock.Advance(long.MaxValue);
        Assert.Equal(long.MaxValue, clock.Now);
    }

    [Fact]
    public void System_clock_reads_the_host_clocks()
    {
        var clock = SystemClock.Instance;
        var first = clock.GetTime(ClockId.Monotonic);
        var second = clock.GetTime(ClockId.Monotonic);
        Assert.True(second >= first);
        Assert.True(clock.GetTime(ClockId.Boottime) >= first);
        // Between two reads of the host's wall clock (100 ns ticks), however long the thread waits between them.
        var before = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
        var realtime = clock.GetTime(ClockId.Realtime);
        var after = ((DateTime.UtcNow - DateTime.UnixEpoch).Ticks + 1) * 100;
        Assert.InRange(realtime, before, after);
        Assert.False(clock.IsVirtual);
    }
}

using SharpBpf.Tests.Support;
using SharpBpf.Time;
using SharpBpf.Timers;

namespace SharpBpf.Tests.Timers;

/// <summary>The helper rules of docs/timer-rules.md (R1, R10-R18, R21-R22), in virtual time.</summary>
public sealed class TimerHelperRulesTests : IDisposable
{
    private const long EINVAL = -22, EBUSY = -16, EPERM = -1, EDEADLK = -35;
    private const long Ms = 1_000_000, Sec = 1_000_000_000;
    private readonly TimerFixture _f = new();

    public void Dispose() => _f.Dispose();

    private TimerService S => _f.Service;
    private nint T(int i) => _f.Map.Timer(i);

    [Fact]
    public void R1_all_zero_slot_is_uninitialized_and_init_writes_a_nonzero_handle()
    {
        Assert.Equal(0UL, _f.Map.SlotWord(0));
        Assert.Equal(EINVAL, S.Start(T(0), 0, 0));
        Assert.Equal(EINVAL, S.Cancel(T(0)));
        Assert.Equal(0, S.Init(T(0), _f.Map, 1));
        Assert.NotEqual(0UL, _f.Map.SlotWord(0));
        Assert.Equal(0UL, _f.Map.SlotWord(1));
    }

    [Fact]
    public unsafe void R1_garbage_in_a_slot_is_not_a_timer()
    {
        *(ulong*)T(0) = 0x0000_0007_0000_0001UL; // looks like a handle, resolves to nothing
        Assert.Equal(EINVAL, S.Cancel(T(0)));
        Assert.Equal(0, S.Init(T(0), _f.Map, 1));
        Assert.Equal(0, S.Cancel(T(0)));
    }

    [Theory]
    [InlineData(0UL, 0L)]
    [InlineData(1UL, 0L)]
    [InlineData(7UL, 0L)]
    [InlineData(2UL, EINVAL)]
    [InlineData(3UL, EINVAL)]
    [InlineData(4UL, EINVAL)]
    [InlineData(5UL, EINVAL)]
    [InlineData(6UL, EINVAL)]
    [InlineData(8UL, EINVAL)]
    [InlineData(11UL, EINVAL)]
    [InlineData(15UL, EINVAL)]
    [InlineData(16UL, EINVAL)]
    [InlineData(0x11UL, EINVAL)]
    [InlineData((1UL << 32) | 1, EINVAL)]
    [InlineData(ulong.MaxValue, EINVAL)]
    public void R10_init_accepts_only_realtime_monotonic_and_boottime(ulong flags, long expected)
    {
        Assert.Equal(expected, S.Init(T(0), _f.Map, flags));
        if (expected != 0)
        {
            // A failed init leaves the timer uninitialized.
            Assert.Equal(EINVAL, S.SetCallback(T(0), _f.Callback()));
            Assert.Equal(0, S.Init(T(0), _f.Map, 1));
        }
    }

    [Fact]
    public void R11_init_on_an_initialized_timer_is_EBUSY_also_after_cancel_and_bad_flags_win()
    {
        _f.Ready(0);
        Assert.Equal(EBUSY, S.Init(T(0), _f.Map, 1));
        Assert.Equal(EBUSY, S.Init(T(0), _f.Map, 0));
        Assert.Equal(0, S.Start(T(0), Ms, 0));
        Assert.Equal(1, S.Cancel(T(0)));
        Assert.Equal(EBUSY, S.Init(T(0), _f.Map, 7));
        Assert.Equal(EINVAL, S.Init(T(0), _f.Map, 2));
        Assert.Equal(EINVAL, S.Init(T(0), _f.Map, 16));
    }

    [Fact]
    public void R12_init_without_user_references_is_EPERM_and_leaves_the_timer_uninitialized()
    {
        _f.Map.HasUserReferences = false;
        Assert.Equal(EPERM, S.Init(T(0), _f.Map, 1));
        Assert.Equal(0UL, _f.Map.SlotWord(0));
        Assert.Equal(EINVAL, S.SetCallback(T(0), _f.Callback()));
        Assert.Equal(EINVAL, S.Start(T(0), 0, 0));
        Assert.Equal(EINVAL, S.Cancel(T(0)));
        Assert.Equal(0, S.InitializedCount);

        // Bad flags are checked before the user count.
        Assert.Equal(EINVAL, S.Init(T(0), _f.Map, 3));
        _f.Map.HasUserReferences = true;
        Assert.Equal(0, S.Init(T(0), _f.Map, 1));
    }

    [Fact]
    public void R13_set_callback_on_uninitialized_is_EINVAL_before_the_user_reference_check()
    {
        _f.Map.HasUserReferences = false;
        Assert.Equal(EINVAL, S.SetCallback(T(0), _f.Callback()));
    }

    [Fact]
    public void R13_set_callback_without_user_references_is_EPERM_in_the_race_window()
    {
        _f.Ready(0);
        _f.Map.HasUserReferences = false; // the count dropped, FreeAllTimers not yet run
        Assert.Equal(EPERM, S.SetCallback(T(0), _f.Callback("other")));
        Assert.Equal(0, S.Start(T(0), Ms, 0));
        _f.Clock.Advance(Ms);
        Assert.Equal(["cb0"], _f.Fired());
    }

    [Fact]
    public void R13_set_callback_while_armed_runs_the_new_function_at_the_pending_expiry()
    {
        _f.Ready(0);
        Assert.Equal(0, S.Start(T(0), 5 * Ms, 0));
        Assert.Equal(0, S.SetCallback(T(0), _f.Callback("second")));
        Assert.Equal(0, S.SetCallback(T(0), _f.Callback("third")));
        Assert.Equal(1, _f.Clock.Advance(5 * Ms));
        Assert.Equal(["third"], _f.Fired());
    }

    [Fact]
    public void R13_a_callback_swaps_itself_for_another_for_the_next_expiry()
    {
        var first = _f.Ready(0, "first");
        var second = _f.Callback("second");
        first.Body = (_, _, value) =>
        {
            Assert.Equal(0, S.SetCallback(value + _f.Map.TimerOffset, second));
            Assert.Equal(0, S.Start(value + _f.Map.TimerOffset, Ms, 0));
        };
        S.Start(T(0), Ms, 0);
        _f.Clock.Advance(10 * Ms);
        Assert.Equal(["first", "second"], _f.Fired());
    }

    [Theory]
    [InlineData(4UL)]
    [InlineData(8UL)]
    [InlineData(ulong.MaxValue)]
    public void R14_start_with_unknown_flags_is_EINVAL_even_when_fully_set_up_and_does_not_arm(ulong flags)
    {
        _f.Ready(0);
        Assert.Equal(EINVAL, S.Start(T(0), Ms, flags));
        Assert.Equal(EINVAL, S.Start(T(1), Ms, flags)); // uninitialized: still the flags answer
        Assert.Equal(0, S.ArmedCount);
        Assert.Equal(0, S.Cancel(T(0)));
    }

    [Fact]
    public void R14_start_needs_an_initialized_timer_with_a_callback()
    {
        Assert.Equal(EINVAL, S.Start(T(0), Ms, 0));
        Assert.Equal(0, S.Init(T(0), _f.Map, 1));
        Assert.Equal(EINVAL, S.Start(T(0), Ms, 0));
        Assert.Equal(0, S.ArmedCount);
        Assert.Equal(0, S.SetCallback(T(0), _f.Callback()));
        Assert.Equal(0, S.Start(T(0), Ms, 0));
        Assert.Equal(1, S.Cancel(T(0)));
        Assert.Equal(EINVAL, S.Start(T(0), Ms, 0));
    }

    [Fact]
    public void R15_relative_start_fires_exactly_at_now_plus_nsecs_never_early()
    {
        _f.Ready(0);
        var start = _f.Clock.Now;
        S.Start(T(0), 3 * Ms, 0);
        Assert.Equal(0, _f.Clock.Advance((3 * Ms) - 1));
        Assert.Equal(1, _f.Clock.Advance(1));
        Assert.Equal(start + (3 * Ms), _f.Log.Single().MonotonicNow);
    }

    [Fact]
    public void R15_zero_nsecs_fires_at_the_next_advance()
    {
        _f.Ready(0);
        S.Start(T(0), 0, 0);
        Assert.Equal(1, _f.Clock.Advance(0));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(7UL)]
    [InlineData(0UL)]
    public void R15_absolute_start_is_on_the_timers_own_clock(ulong clock)
    {
        _f.Ready(0, clock: clock);
        var clockId = (ClockId)clock;
        var deadline = _f.Clock.GetTime(clockId) + (7 * Ms);
        Assert.Equal(0, S.Start(T(0), (ulong)deadline, TimerStartFlags.Absolute));
        Assert.Equal(0, _f.Clock.Advance((7 * Ms) - 1));
        Assert.Equal(1, _f.Clock.Advance(1));
        Assert.Equal(deadline, _f.Clock.GetTime(clockId));
    }

    [Fact]
    public void R15_boottime_and_realtime_follow_their_offsets_in_virtual_time()
    {
        var clock = new VirtualClock(bootOffsetNs: 5 * Sec);
        using var service = new TimerService(clock);
        using var map = new FakeTimerMap("m", 2);
        var log = new List<FireRecord>();
        Assert.Equal(0, service.Init(map.Timer(0), map, 7));
        service.SetCallback(map.Timer(0), new RecordingCallback("boot", null, log));
        // Absolute boottime deadline 6 s after boot-time now.
        service.Start(map.Timer(0), (ulong)(clock.GetTime(ClockId.Boottime) + Sec), TimerStartFlags.Absolute);
        Assert.Equal(0, clock.Advance(Sec - 1));
        Assert.Equal(1, clock.Advance(1));
    }

    [Fact]
    public void R15_absolute_time_in_the_past_fires_at_the_next_advance()
    {
        _f.Ready(0);
        Assert.Equal(0, S.Start(T(0), 5, TimerStartFlags.Absolute));
        Assert.Equal(1, _f.Clock.Advance(0));
    }

    [Fact]
    public void R15_cpu_pin_and_abs_are_accepted_and_combined()
    {
        _f.Ready(0);
        Assert.Equal(0, S.Start(T(0), Ms, TimerStartFlags.CpuPin));
        Assert.Equal(1, _f.Clock.Advance(Ms));
        Assert.Equal(0, S.Start(T(0), (ulong)(_f.Clock.Now + Ms), TimerStartFlags.CpuPin | TimerStartFlags.Absolute));
        Assert.Equal(1, _f.Clock.Advance(Ms));
    }

    [Fact]
    public void R15_start_on_an_armed_timer_replaces_the_expiry_earlier()
    {
        _f.Ready(0);
        S.Start(T(0), 10 * Sec, 0);
        S.Start(T(0), Ms, 0);
        Assert.Equal(1, S.ArmedCount);
        Assert.Equal(1, _f.Clock.Advance(Ms));
        Assert.Equal(0, _f.Clock.Advance(20 * Sec));
    }

    [Fact]
    public void R15_start_on_an_armed_timer_replaces_the_expiry_later()
    {
        _f.Ready(0);
        S.Start(T(0), Ms, 0);
        S.Start(T(0), 10 * Sec, 0);
        Assert.Equal(0, _f.Clock.Advance(300 * Ms));
        Assert.Equal(1, _f.Clock.Advance(10 * Sec));
    }

    [Theory]
    [InlineData(0x8000_0000_0000_0000UL, 0UL)]
    [InlineData(ulong.MaxValue, 0UL)]
    [InlineData(0x8000_0000_0000_0000UL, TimerStartFlags.Absolute)]
    [InlineData(ulong.MaxValue, TimerStartFlags.Absolute)]
    [InlineData((ulong)long.MaxValue, 0UL)] // saturates: now + nsecs overflows
    [InlineData((ulong)long.MaxValue, TimerStartFlags.Absolute)]
    public void R16_negative_or_saturating_nsecs_arms_forever_and_cancel_returns_1(ulong nsecs, ulong flags)
    {
        _f.Ready(0);
        Assert.Equal(0, S.Start(T(0), nsecs, flags));
        Assert.Equal(1, S.ArmedCount);
        Assert.Equal(0, _f.Clock.AdvanceTo(long.MaxValue));
        Assert.Empty(_f.Log);
        Assert.Equal(1, S.Cancel(T(0)));
    }

    [Fact]
    public void R16_two_to_the_62_is_simply_far_in_the_future()
    {
        _f.Ready(0);
        var start = _f.Clock.Now;
        S.Start(T(0), 1UL << 62, 0);
        Assert.Equal(0, _f.Clock.AdvanceTo(start + (1L << 62) - 1));
        Assert.Equal(1, _f.Clock.Advance(1));
    }

    [Fact]
    public void R17_cancel_unregisters_callback_and_timer_stays_initialized()
    {
        _f.Ready(0);
        Assert.Equal(0, S.Start(T(0), Ms, 0));
        Assert.Equal(1, S.Cancel(T(0)));
        Assert.Equal(0, _f.Clock.Advance(Sec));
        Assert.Equal(EINVAL, S.Start(T(0), Ms, 0));
        Assert.Equal(EBUSY, S.Init(T(0), _f.Map, 1));
        Assert.Equal(0, S.Cancel(T(0)));
        Assert.Equal(0, S.SetCallback(T(0), _f.Callback("again")));
        Assert.Equal(0, S.Start(T(0), Ms, 0));
        Assert.Equal(1, _f.Clock.Advance(Ms));
        Assert.Equal(["again"], _f.Fired());
    }

    [Fact]
    public void R17_cancel_returns_0_for_idle_never_started_or_already_fired_and_still_unregisters()
    {
        _f.Ready(0);
        Assert.Equal(0, S.Cancel(T(0)));
        S.SetCallback(T(0), _f.Callback("cb"));
        S.Start(T(0), Ms, 0);
        _f.Clock.Advance(Ms);
        Assert.Equal(0, S.Cancel(T(0)));
        Assert.Equal(EINVAL, S.Start(T(0), Ms, 0));
    }

    [Fact]
    public void R17_cancel_of_an_uninitialized_timer_is_EINVAL()
    {
        Assert.Equal(EINVAL, S.Cancel(T(3)));
    }

    [Fact]
    public void R18_self_cancel_is_EDEADLK_changes_nothing_and_the_callback_can_rearm()
    {
        var callback = _f.Ready(0);
        var results = new List<long>();
        callback.Body = (_, _, value) =>
        {
            if (callback.Calls > 2) return;
            var timer = value + _f.Map.TimerOffset;
            results.Add(S.Cancel(timer));
            results.Add(S.Start(timer, Ms, 0));
            results.Add(S.Cancel(timer));
        };
        S.Start(T(0), Ms, 0);
        Assert.Equal(3, _f.Clock.Advance(10 * Ms));
        Assert.Equal([EDEADLK, 0, EDEADLK, EDEADLK, 0, EDEADLK], results);
    }

    [Fact]
    public void R18_cancel_of_another_timer_from_a_callback_works_and_unregisters_it()
    {
        var a = _f.Ready(0, "a");
        _f.Ready(1, "b");
        long result = 99;
        a.Body = (_, _, _) => result = S.Cancel(T(1));
        S.Start(T(0), Ms, 0);
        S.Start(T(1), 2 * Ms, 0);
        _f.Clock.Advance(10 * Ms);
        Assert.Equal(1, result);
        Assert.Equal(["a"], _f.Fired());
        Assert.Equal(EINVAL, S.Start(T(1), Ms, 0));
        Assert.Equal(EBUSY, S.Init(T(1), _f.Map, 1));
    }

    [Fact]
    public void R18_two_callbacks_cancelling_each_other_do_not_deadlock_and_one_gets_EDEADLK()
    {
        var a = _f.Ready(0, "a");
        var b = _f.Ready(1, "b");
        using var bothRunning = new Barrier(2);
        long resultA = 99, resultB = 99;
        a.Body = (_, _, _) => { bothRunning.SignalAndWait(); resultA = S.Cancel(T(1)); };
        b.Body = (_, _, _) => { bothRunning.SignalAndWait(); resultB = S.Cancel(T(0)); };
        S.Start(T(0), Sec, 0);
        S.Start(T(1), Sec, 0);
        var threadA = CheckedThread.Start(() => S.FireNowOnThisThread(T(0)));
        var threadB = CheckedThread.Start(() => S.FireNowOnThisThread(T(1)));
        CheckedThread.JoinAll([threadA, threadB]); // a deadlock fails here, after the hang guard
        Assert.Equal([0L, EDEADLK], new[] { resultA, resultB }.Order().Reverse().ToArray());
        Assert.Equal(0, S.WaitingThreads);
    }

    [Fact]
    public void R17_cancel_from_another_thread_waits_for_the_running_callback()
    {
        var callback = _f.Ready(0);
        var finished = false;
        using var entered = new ManualResetEventSlim();
        callback.Body = (_, _, _) =>
        {
            entered.Set();
            Assert.True(SpinWait.SpinUntil(() => S.WaitingThreads > 0, CheckedThread.HangGuard), "nobody came to wait for the callback");
            Volatile.Write(ref finished, true);
        };
        S.Start(T(0), Ms, 0);
        var advance = CheckedThread.Start(() => _f.Clock.Advance(Ms));
        Assert.True(entered.Wait(CheckedThread.HangGuard), "the callback never ran");
        var cancelResult = S.Cancel(T(0));
        var sawFinished = Volatile.Read(ref finished);
        advance.Join();
        Assert.True(sawFinished, "cancel returned while the callback was still running");
        Assert.Equal(0, cancelResult);
        Assert.Equal(EINVAL, S.Start(T(0), Ms, 0));
    }

    [Fact]
    public void R21_one_shot_and_the_callback_stays_registered()
    {
        _f.Ready(0);
        S.Start(T(0), Ms, 0);
        Assert.Equal(1, _f.Clock.Advance(Sec));
        Assert.Equal(0, S.ArmedCount);
        Assert.Equal(0, S.Start(T(0), Ms, 0));
        Assert.Equal(1, _f.Clock.Advance(Sec));
        Assert.Equal(0, S.Cancel(T(0)));
        Assert.Equal(["cb0", "cb0"], _f.Fired());
    }

    [Fact]
    public void R22_the_callback_return_value_is_ignored_and_never_restarts_the_timer()
    {
        var callback = _f.Ready(0);
        callback.ReturnValue = 1;
        S.Start(T(0), Ms, 0);
        Assert.Equal(1, _f.Clock.Advance(Sec));
        Assert.Equal(0, _f.Clock.Advance(Sec));
        Assert.Equal(0, S.FaultCount);
    }
}

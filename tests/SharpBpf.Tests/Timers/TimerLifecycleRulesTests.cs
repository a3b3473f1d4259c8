using System.Runtime.InteropServices;
using SharpBpf.Tests.Support;
using SharpBpf.Time;
using SharpBpf.Timers;

namespace SharpBpf.Tests.Timers;

/// <summary>Callback arguments, element free, user references and program references (R3, R20, R24, R26-R34).</summary>
public sealed class TimerLifecycleRulesTests : IDisposable
{
    private const long EINVAL = -22, EBUSY = -16, EPERM = -1;
    private const long Ms = 1_000_000;
    private readonly TimerFixture _f = new();

    public void Dispose() => _f.Dispose();

    private TimerService S => _f.Service;
    private nint T(int i) => _f.Map.Timer(i);

    [Fact]
    public unsafe void R20_callback_gets_the_map_an_array_index_key_and_the_value_start()
    {
        _f.Ready(5);
        S.Start(T(5), Ms, 0);
        _f.Clock.Advance(Ms);
        var fire = _f.Log.Single();
        Assert.Same(_f.Map, fire.Map);
        Assert.Equal(_f.Map.Value(5), fire.Value);
        Assert.NotEqual(T(5), fire.Value);
        Assert.Equal(5u, *(uint*)fire.Key);
    }

    [Fact]
    public unsafe void R20_hash_callback_key_is_the_elements_key_and_value_writes_persist()
    {
        using var f = new TimerFixture(hash: true);
        var callback = f.Ready(3);
        callback.Body = (_, _, value) => *(long*)value = 1234;
        f.Service.Start(f.Map.Timer(3), Ms, 0);
        f.Clock.Advance(Ms);
        var fire = f.Log.Single();
        Assert.Equal(f.Map.Keys + (3 * 8), fire.Key);
        Assert.Equal(0xABCD_0000_0003UL, *(ulong*)fire.Key);
        Assert.Equal(1234, *(long*)f.Map.Value(3));
    }

    [Fact]
    public void R3_timers_of_two_maps_call_back_with_their_own_map()
    {
        using var inner = new FakeTimerMap("inner", 4);
        Assert.Equal(0, S.Init(inner.Timer(1), inner, 1));
        S.SetCallback(inner.Timer(1), _f.Callback("inner"));
        _f.Ready(1, "outer");
        S.Start(inner.Timer(1), Ms, 0);
        S.Start(T(1), Ms, 0);
        _f.Clock.Advance(Ms);
        Assert.Same(inner, _f.Log.Single(r => r.Callback == "inner").Map);
        Assert.Same(_f.Map, _f.Log.Single(r => r.Callback == "outer").Map);
        S.FreeAllTimers(inner);
    }

    [Fact]
    public void R24_a_callback_frees_its_own_element_without_deadlock_and_the_slot_can_be_reused()
    {
        var callback = _f.Ready(2);
        var results = new List<long>();
        callback.Body = (map, _, value) =>
        {
            var timer = value + map.TimerOffset;
            results.Add(S.Start(timer, Ms, 0)); // re-armed before the free: the free must disarm it
            S.FreeTimerIn(value, map);
            results.Add(S.Start(timer, Ms, 0));
            results.Add(S.Cancel(timer));
            results.Add(S.Init(timer, map, 1)); // ARRAY: a brand-new timer in the same slot
            results.Add(S.SetCallback(timer, _f.Callback("new")));
            results.Add(S.Start(timer, 2 * Ms, 0));
        };
        S.Start(T(2), Ms, 0);
        Assert.Equal(2, _f.Clock.Advance(10 * Ms));
        Assert.Equal([0, EINVAL, EINVAL, 0, 0, 0], results);
        Assert.Equal(["cb2", "new"], _f.Fired());
        Assert.Equal(1, S.InitializedCount);
        Assert.Equal(1, _f.Program.References);
    }

    [Fact]
    public void R24_free_from_own_callback_then_no_further_fire()
    {
        var callback = _f.Ready(2);
        callback.Body = (map, _, value) =>
        {
            S.Start(value + map.TimerOffset, 0, 0);
            S.FreeTimerIn(value, map);
        };
        S.Start(T(2), Ms, 0);
        Assert.Equal(1, _f.Clock.Advance(10 * Ms));
        Assert.Equal(0, S.ArmedCount);
        Assert.Equal(0, S.InitializedCount);
        Assert.Equal(0, _f.Program.References);
    }

    [Fact]
    public void R26_element_free_cancels_drops_the_program_and_leaves_an_uninitialized_slot()
    {
        _f.Ready(4);
        S.Start(T(4), Ms, 0);
        Assert.Equal(1, _f.Program.References);
        S.FreeTimerIn(_f.Map.Value(4), _f.Map);
        Assert.Equal(0UL, _f.Map.SlotWord(4));
        Assert.Equal(0, _f.Program.References);
        Assert.Equal(0, _f.Clock.Advance(Ms * 100));
        Assert.Empty(_f.Log);
        Assert.Equal(EINVAL, S.Start(T(4), Ms, 0));
        Assert.Equal(EINVAL, S.Cancel(T(4)));
        Assert.Equal(0, S.Init(T(4), _f.Map, 1));
    }

    [Fact]
    public void R27_free_of_an_element_without_a_timer_touches_nothing()
    {
        _f.Ready(0);
        S.Start(T(0), Ms, 0);
        S.FreeTimerIn(_f.Map.Value(1), _f.Map);
        Assert.Equal(1, S.Cancel(T(0)));
    }

    [Fact]
    public void R29_an_element_update_that_rewrites_the_slot_bytes_is_harmless_after_the_free()
    {
        _f.Ready(0);
        S.Start(T(0), Ms, 0);
        S.FreeTimerIn(_f.Map.Value(0), _f.Map);
        Marshal.WriteInt64(T(0), 0); // what an update leaves there (R36: special bytes never copied)
        Assert.Equal(0, S.Init(T(0), _f.Map, 1));
        Assert.Equal(EINVAL, S.Start(T(0), Ms, 0));
    }

    [Fact]
    public void R31_user_reference_drop_frees_every_timer_and_init_is_EPERM_until_references_return()
    {
        for (var i = 0; i < 10; i++)
        {
            _f.Ready(i);
            S.Start(T(i), (ulong)(i + 1) * Ms, 0);
        }

        S.Start(T(9), 1UL << 63, 0);
        Assert.Equal(10, _f.Program.References);
        _f.Map.HasUserReferences = false;
        S.FreeAllTimers(_f.Map);
        Assert.Equal(0, S.InitializedCount);
        Assert.Equal(0, S.ArmedCount);
        Assert.Equal(0, _f.Program.References);
        Assert.Equal(0, _f.Clock.Advance(1000 * Ms));
        Assert.Empty(_f.Log);
        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal(0UL, _f.Map.SlotWord(i)));
        Assert.Equal(EINVAL, S.Cancel(T(0)));
        Assert.Equal(EPERM, S.Init(T(0), _f.Map, 1));
        _f.Map.HasUserReferences = true;
        Assert.Equal(0, S.Init(T(0), _f.Map, 1));
    }

    [Fact]
    public void R31_free_all_timers_of_one_map_leaves_other_maps_alone()
    {
        using var other = new FakeTimerMap("other", 2);
        S.Init(other.Timer(0), other, 1);
        S.SetCallback(other.Timer(0), _f.Callback("other"));
        S.Start(other.Timer(0), Ms, 0);
        _f.Ready(0);
        S.Start(T(0), Ms, 0);
        S.FreeAllTimers(_f.Map);
        _f.Clock.Advance(Ms);
        Assert.Equal(["other"], _f.Fired());
        S.FreeAllTimers(other);
    }

    [Fact]
    public void R31_free_all_from_inside_a_callback_does_not_wait_for_itself()
    {
        var callback = _f.Ready(0);
        _f.Ready(1);
        callback.Body = (map, _, _) => S.FreeAllTimers(map);
        S.Start(T(0), Ms, 0);
        S.Start(T(1), 2 * Ms, 0);
        Assert.Equal(1, _f.Clock.Advance(10 * Ms));
        Assert.Equal(0, S.InitializedCount);
        Assert.Equal(0, _f.Program.References);
    }

    [Fact]
    public void R33_set_callback_holds_one_reference_per_timer_and_swapping_programs_moves_it()
    {
        var other = new CountingProgram("other");
        Assert.Equal(0, S.Init(T(0), _f.Map, 1));
        S.SetCallback(T(0), _f.Callback("a"));
        S.SetCallback(T(0), _f.Callback("b")); // same program: no second reference
        Assert.Equal(1, _f.Program.References);
        S.SetCallback(T(0), _f.Callback("c", other));
        Assert.Equal(0, _f.Program.References);
        Assert.Equal(1, other.References);
        S.Start(T(0), Ms, 0);
        _f.Clock.Advance(Ms); // firing keeps the reference
        Assert.Equal(1, other.References);
        Assert.Equal(0, S.Cancel(T(0)));
        Assert.Equal(0, other.References);
    }

    [Fact]
    public void R33_the_program_holds_an_extra_reference_while_its_callback_runs()
    {
        var callback = _f.Ready(0);
        var during = -1;
        callback.Body = (_, _, _) => during = _f.Program.References;
        S.Start(T(0), Ms, 0);
        _f.Clock.Advance(Ms);
        Assert.Equal(2, during);
        Assert.Equal(1, _f.Program.References);
    }

    [Fact]
    public void R34_init_set_callback_and_start_from_different_programs_share_the_timer()
    {
        var p1 = new CountingProgram("p1");
        var p2 = new CountingProgram("p2");
        Assert.Equal(0, S.Init(T(0), _f.Map, 1));          // program 1
        Assert.Equal(0, S.SetCallback(T(0), _f.Callback("p2cb", p2))); // program 2
        Assert.Equal(EBUSY, S.Init(T(0), _f.Map, 1));      // program 1 again
        Assert.Equal(0, S.Start(T(0), Ms, 0));             // program 1
        _f.Clock.Advance(Ms);
        Assert.Equal(["p2cb"], _f.Fired());
        Assert.Equal(0, p1.References);
        Assert.Equal(1, p2.References);
    }

    [Fact]
    public void Element_free_from_another_thread_waits_for_the_running_callback_and_no_callback_follows()
    {
        var callback = _f.Ready(0);
        var finished = false;
        using var entered = new ManualResetEventSlim();
        callback.Body = (map, _, value) =>
        {
            entered.Set();
            Assert.True(SpinWait.SpinUntil(() => S.WaitingThreads > 0, CheckedThread.HangGuard), "nobody came to wait for the callback");
            S.Start(value + map.TimerOffset, 0, 0); // re-armed: the free must still win
            Volatile.Write(ref finished, true);
        };
        S.Start(T(0), Ms, 0);
        var advance = CheckedThread.Start(() => _f.Clock.Advance(Ms));
        Assert.True(entered.Wait(CheckedThread.HangGuard), "the callback never ran");
        S.FreeTimerIn(_f.Map.Value(0), _f.Map);
        Assert.True(Volatile.Read(ref finished));
        advance.Join();
        Assert.Equal(0, _f.Clock.Advance(Ms));
        Assert.Equal(1, callback.Calls);
        Assert.Equal(0, S.ArmedCount);
    }

    [Fact]
    public void Callback_faults_are_recorded_and_the_timers_keep_running()
    {
        _f.ExpectFaults = true;
        var bad = _f.Ready(0, "bad");
        bad.Body = (_, _, _) => throw new InvalidOperationException("boom");
        _f.Ready(1, "good");
        TimerCallbackFault? raised = null;
        S.CallbackFaulted += fault => raised = fault;
        S.Start(T(0), Ms, 0);
        S.Start(T(1), 2 * Ms, 0);
        Assert.Equal(2, _f.Clock.Advance(5 * Ms));
        Assert.Equal(["bad", "good"], _f.Fired());
        Assert.Equal(1, S.FaultCount);
        var fault = Assert.Single(S.Faults);
        Assert.Equal("bad", fault.Callback);
        Assert.Equal("timers", fault.MapName);
        Assert.Equal("boom", fault.Exception.Message);
        Assert.Same(fault, raised);
        Assert.Equal(0, S.Start(T(0), Ms, 0)); // still registered
    }

    [Fact]
    public unsafe void Inspection_lists_armed_timers_with_map_key_clock_expiry_and_callback()
    {
        _f.Ready(3, "three", clock: 7);
        _f.Ready(1, "one");
        _f.Ready(2, "idle");
        S.Start(T(3), 5 * Ms, 0);
        S.Start(T(1), 1UL << 63, 0);
        var expected = _f.Clock.GetTime(ClockId.Boottime) + (5 * Ms);
        var armed = S.GetTimers();
        Assert.Equal(2, armed.Count);
        var forever = armed[0];
        Assert.Equal(("timers", ClockId.Monotonic, (long?)null, "one"), (forever.MapName, forever.Clock, forever.Expiry, forever.Callback));
        Assert.Equal(BitConverter.GetBytes(1u), forever.Key);
        Assert.True(forever.Armed);
        var boot = armed[1];
        Assert.Equal((ClockId.Boottime, (long?)expected, "three"), (boot.Clock, boot.Expiry, boot.Callback));
        Assert.Equal(BitConverter.GetBytes(3u), boot.Key);
        Assert.Equal(_f.Map.Value(3), boot.ValueAddress);
        Assert.Equal(3, S.GetTimers(armedOnly: false).Count);
    }

    [Fact]
    public void Dispose_cancels_everything_releases_programs_and_later_calls_are_object_disposed()
    {
        var clock = new VirtualClock();
        var service = new TimerService(clock);
        using var map = new FakeTimerMap("m", 4);
        var program = new CountingProgram("p");
        var log = new List<FireRecord>();
        for (var i = 0; i < 4; i++)
        {
            service.Init(map.Timer(i), map, 1);
            service.SetCallback(map.Timer(i), new RecordingCallback("cb", program, log));
            service.Start(map.Timer(i), Ms, 0);
        }

        service.Dispose();
        service.Dispose();
        Assert.Equal(0, program.References);
        Assert.Equal(0, clock.Advance(10 * Ms));
        Assert.Empty(log);
        Assert.Throws<ObjectDisposedException>(() => service.Start(map.Timer(0), Ms, 0));
        service.FreeTimerIn(map.Value(0), map); // maps may still call these during their own teardown
        service.FreeAllTimers(map);
    }
}

using SharpBpf.Tests.Support;
using SharpBpf.Time;
using SharpBpf.Timers;

namespace SharpBpf.Tests.Timers;

/// <summary>
/// Several threads arm, cancel and free timers while another thread fires them (the virtual clock advancing, or
/// the real driver). Each start gets a unique token written into the value; the callback counts tokens. A start is
/// either fired exactly once or cancelled (cancel 1) or freed, never both, never twice, never after the cancel or
/// free returned; nothing stays armed, initialized or referenced at the end.
/// </summary>
public sealed class TimerConcurrencyTests
{
    private const int Workers = 3;
    private const int SlotsPerWorker = 4;

    [Fact]
    public void Stress_with_the_virtual_clock_advancing_on_another_thread() => Stress(new VirtualClock(), 1500, 2_000_000);

    [Fact]
    public void Stress_with_the_real_driver_firing() => Stress(SystemClock.Instance, 300, 200_000);

    private static unsafe void Stress(IBpfClock clock, int iterations, long maxDelayNs)
    {
        using var service = new TimerService(clock);
        using var map = new FakeTimerMap("stress", Workers * SlotsPerWorker, valueSize: 32, timerOffset: 16);
        var program = new CountingProgram("p");
        var tokens = Workers * iterations;
        var fires = new int[tokens + 1];
        var callback = new TokenCallback(program, fires);
        var outcomes = new int[tokens + 1]; // 1 must have fired, 2 must never fire, 3 fired-at-free snapshot taken
        var firedAtFree = new int[tokens + 1];
        var stop = 0;
        var errors = new List<string>();

        var clockThread = clock is VirtualClock virtualClock
            ? CheckedThread.Start(() =>
            {
                while (Volatile.Read(ref stop) == 0) virtualClock.Advance(100_000);
            })
            : null;

        var workers = Enumerable.Range(0, Workers).Select(w => CheckedThread.Start(() =>
        {
            var random = new Random(w);
            var initialized = new bool[SlotsPerWorker];
            void Fail(string what) { lock (errors) errors.Add(what); }
            for (var iteration = 1; iteration <= iterations; iteration++)
            {
                var token = (w * iterations) + iteration;
                var slot = (w * SlotsPerWorker) + random.Next(SlotsPerWorker);
                var local = slot - (w * SlotsPerWorker);
                var timer = map.Timer(slot);
                if (!initialized[local])
                {
                    if (service.Init(timer, map, 1) != 0) Fail($"init {token}");
                    initialized[local] = true;
                }

                if (service.SetCallback(timer, callback) != 0) Fail($"set_callback {token}");
                *(long*)map.Value(slot) = token;
                if (service.Start(timer, (ulong)random.NextInt64(maxDelayNs), 0) != 0) Fail($"start {token}");
                switch (random.Next(3))
                {
                    case 0:
                        // Cancel drops the callback before it waits for a running one; an expiry in between finds
                        // no callback and runs nothing, and cancel then reports 0 — as the kernel's can (R17). Either
                        // way a token that has not fired by now must never fire.
                        var cancelled = service.Cancel(timer);
                        var firedSoFar = Volatile.Read(ref fires[token]);
                        if (cancelled is 0 or 1 && firedSoFar == 0) outcomes[token] = 2;
                        else if (cancelled == 0 && firedSoFar == 1) outcomes[token] = 1;
                        else Fail($"cancel {token} returned {cancelled} with {firedSoFar} fires");
                        break;
                    case 1:
                        service.FreeTimerIn(map.Value(slot), map);
                        firedAtFree[token] = Volatile.Read(ref fires[token]);
                        outcomes[token] = 3;
                        initialized[local] = false;
                        break;
                    default:
                        if (!SpinWait.SpinUntil(() => Volatile.Read(ref fires[token]) == 1, CheckedThread.HangGuard))
                            Fail($"token {token} never fired (hang guard)");
                        outcomes[token] = 1;
                        break;
                }
            }
        })).ToArray();

        try
        {
            CheckedThread.JoinAll(workers);
        }
        finally
        {
            Volatile.Write(ref stop, 1); // the clock thread must stop even when a worker failed
        }

        clockThread?.Join();
        (clock as VirtualClock)?.Advance(1_000_000_000);

        Assert.Empty(errors);
        Assert.Equal(0, service.FaultCount);
        for (var token = 1; token <= tokens; token++)
        {
            switch (outcomes[token])
            {
                case 1: Assert.True(fires[token] == 1, $"token {token} fired {fires[token]} times"); break;
                case 2: Assert.True(fires[token] == 0, $"cancelled token {token} fired"); break;
                case 3: Assert.True(fires[token] == firedAtFree[token], $"freed token {token} fired after the free"); break;
                default: Assert.Fail($"token {token} has no outcome"); break;
            }
        }

        Assert.Equal(0, service.ArmedCount);
        map.HasUserReferences = false;
        service.FreeAllTimers(map);
        Assert.Equal(0, service.InitializedCount);
        Assert.Equal(0, program.References);
    }

    private sealed unsafe class TokenCallback(ITimerProgram program, int[] fires) : ITimerCallback
    {
        public ITimerProgram? Program => program;
        public string Name => "token";

        public long Invoke(ITimerMap map, nint key, nint value)
        {
            Interlocked.Increment(ref fires[*(long*)value]);
            return 0;
        }
    }
}

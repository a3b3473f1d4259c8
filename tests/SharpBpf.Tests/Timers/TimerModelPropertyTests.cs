using CsCheck;
using SharpBpf.Time;
using SharpBpf.Timers;

namespace SharpBpf.Tests.Timers;

/// <summary>
/// Random sequences of init / set_callback / start / cancel / element free / user-reference release / advance,
/// checked against a small model of the spec's state machine: every return value, and which callback fires when.
/// </summary>
public sealed class TimerModelPropertyTests
{
    private const long Ms = 1_000_000;
    private static readonly ulong[] InitFlags = [0, 1, 7, 2, 16];
    private static readonly ulong[] StartFlags = [0, 0, TimerStartFlags.Absolute, TimerStartFlags.CpuPin, 4];
    private static readonly long[] Delays = [0, Ms, 3 * Ms, -1, 2 * Ms];

    private sealed class SlotModel
    {
        public bool Initialized;
        public ClockId Clock;
        public string? Callback;
        public bool Armed;
        public long Deadline; // monotonic; long.MaxValue = never
        public long Sequence;
    }

    [Fact]
    public void Random_helper_sequences_match_the_reference_model()
    {
        var op = Gen.Select(Gen.Int[0, 7], Gen.Int[0, 3], Gen.Int[0, 4], Gen.Int[0, 4]);
        op.Array[1, 60].Sample(ops => Run(ops), iter: 400);
    }

    private static void Run((int Kind, int Slot, int A, int B)[] ops)
    {
        var clock = new VirtualClock(bootOffsetNs: 777);
        using var service = new TimerService(clock);
        using var map = new FakeTimerMap("m", 4);
        var fired = new List<string>();
        var callbacks = new[] { "x", "y" }.Select(n => new RecordingCallback(n, null, [])).ToArray();
        foreach (var callback in callbacks)
        {
            var name = callback.Name;
            callback.Body = (_, _, value) => fired.Add($"{map.IndexOf(value)}:{name}");
        }

        var model = Enumerable.Range(0, 4).Select(_ => new SlotModel()).ToArray();
        var userRefs = true;
        long sequence = 0;
        var step = 0;
        foreach (var (kind, slot, a, b) in ops)
        {
            step++;
            var m = model[slot];
            var timer = map.Timer(slot);
            string where = $"step {step}: op {kind} slot {slot} a {a} b {b}";
            switch (kind)
            {
                case 0:
                {
                    var flags = InitFlags[a];
                    long expected = flags is not (0 or 1 or 7) ? -22 : m.Initialized ? -16 : !userRefs ? -1 : 0;
                    Assert.True(expected == service.Init(timer, map, flags), where);
                    if (expected == 0)
                    {
                        m.Initialized = true;
                        m.Clock = (ClockId)flags;
                        m.Callback = null;
                        m.Armed = false;
                    }

                    break;
                }

                case 1:
                {
                    var callback = callbacks[a % 2];
                    long expected = !m.Initialized ? -22 : !userRefs ? -1 : 0;
                    Assert.True(expected == service.SetCallback(timer, callback), where);
                    if (expected == 0) m.Callback = callback.Name;
                    break;
                }

                case 2:
                {
                    var flags = StartFlags[a];
                    var delay = Delays[b];
                    var absolute = (flags & TimerStartFlags.Absolute) != 0;
                    var nsecs = delay < 0 ? 1UL << 63 : absolute ? (ulong)(clock.GetTime(m.Clock) + delay) : (ulong)delay;
                    long expected = (flags & ~3UL) != 0 || !m.Initialized || m.Callback is null ? -22 : 0;
                    Assert.True(expected == service.Start(timer, nsecs, flags), where);
                    if (expected == 0)
                    {
                        m.Armed = true;
                        m.Deadline = delay < 0 ? long.MaxValue : clock.Now + delay;
                        m.Sequence = ++sequence;
                    }

                    break;
                }

                case 3:
                {
                    long expected = !m.Initialized ? -22 : m.Armed ? 1 : 0;
                    Assert.True(expected == service.Cancel(timer), where);
                    if (m.Initialized)
                    {
                        m.Armed = false;
                        m.Callback = null;
                    }

                    break;
                }

                case 4:
                    service.FreeTimerIn(map.Value(slot), map);
                    model[slot] = new SlotModel();
                    break;

                case 5:
                    if (a < 2)
                    {
                        userRefs = false;
                        map.HasUserReferences = false;
                        service.FreeAllTimers(map);
                        for (var i = 0; i < model.Length; i++) model[i] = new SlotModel();
                    }
                    else
                    {
                        userRefs = true;
                        map.HasUserReferences = true;
                    }

                    break;

                default:
                {
                    var target = clock.Now + (a * Ms);
                    var due = model.Select((s, i) => (s, i))
                        .Where(p => p.s.Armed && p.s.Deadline <= target)
                        .OrderBy(p => p.s.Deadline).ThenBy(p => p.s.Sequence).ToList();
                    var expectedFires = due.Select(p => $"{p.i}:{p.s.Callback}").ToList();
                    foreach (var (s, _) in due) s.Armed = false;
                    fired.Clear();
                    Assert.True(expectedFires.Count == clock.AdvanceTo(target), where);
                    Assert.Equal(expectedFires, fired);
                    break;
                }
            }

            Assert.True(model.Count(s => s.Armed) == service.ArmedCount, where);
            Assert.True(model.Count(s => s.Initialized) == service.InitializedCount, where);
        }
    }
}

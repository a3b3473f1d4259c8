using System.Runtime.InteropServices;
using SharpBpf.Time;
using SharpBpf.Timers;

namespace SharpBpf.Benchmarks;

/// <summary>
/// An ARRAY-like map of <c>{ u64 pad; struct bpf_timer t; }</c> values in native memory, as the timer tests use: the
/// timers need nothing else from a map. It does not free timers on its own; the benchmarks dispose the service.
/// </summary>
internal sealed unsafe class BenchTimerMap : ITimerMap, IDisposable
{
    public const int ValueSize = 32;

    public BenchTimerMap(int entries)
    {
        Entries = entries;
        Values = (nint)NativeMemory.AllocZeroed((nuint)entries * ValueSize);
        Keys = (nint)NativeMemory.AllocZeroed((nuint)entries * sizeof(uint));
        for (var i = 0; i < entries; i++)
        {
            ((uint*)Keys)[i] = (uint)i;
        }
    }

    public int Entries { get; }
    public nint Values { get; }
    public nint Keys { get; }
    public string Name => "bench_timers";
    public bool HasUserReferences => true;
    public int TimerOffset => 8;
    public int KeySize => 4;

    public nint Value(int index) => Values + (index * (nint)ValueSize);

    public nint Timer(int index) => Value(index) + TimerOffset;

    public int IndexOf(nint value) => (int)((value - Values) / ValueSize);

    public nint GetCallbackKey(nint valueAddress) => Keys + (IndexOf(valueAddress) * sizeof(uint));

    public void Dispose()
    {
        NativeMemory.Free((void*)Values);
        NativeMemory.Free((void*)Keys);
    }
}

/// <summary>A program reference count like the runtime's (interlocked), so each fire pays what a real one pays.</summary>
internal sealed class BenchProgram : ITimerProgram
{
    private int _references;

    public int References => Volatile.Read(ref _references);

    public void AddReference() => Interlocked.Increment(ref _references);

    public void ReleaseReference() => Interlocked.Decrement(ref _references);
}

/// <summary>A callback that optionally re-arms its own timer <see cref="Period"/> ns later, as a periodic BPF timer
/// does from its callback with <c>bpf_timer_start(&amp;v->t, period, 0)</c>.</summary>
internal sealed class BenchCallback(TimerService service, BenchTimerMap map, ITimerProgram program) : ITimerCallback
{
    public long Period { get; set; }

    public long Calls;

    public ITimerProgram? Program { get; } = program;

    public string Name => "bench/cb";

    public long Invoke(ITimerMap timerMap, nint key, nint value)
    {
        Calls++;
        if (Period > 0)
        {
            service.Start(value + map.TimerOffset, (ulong)Period, 0);
        }

        return 0;
    }
}

/// <summary>A virtual clock, a timer service on it and a map of <c>N</c> initialized monotonic timers.</summary>
internal sealed class VirtualTimerBench : IDisposable
{
    public VirtualTimerBench(int timers, long period)
    {
        Clock = new VirtualClock();
        Service = new TimerService(Clock);
        Map = new BenchTimerMap(timers);
        Callback = new BenchCallback(Service, Map, Program) { Period = period };
        for (var i = 0; i < timers; i++)
        {
            Check(Service.Init(Map.Timer(i), Map, (ulong)ClockId.Monotonic), "init");
            Check(Service.SetCallback(Map.Timer(i), Callback), "set_callback");
        }
    }

    public VirtualClock Clock { get; }
    public TimerService Service { get; }
    public BenchTimerMap Map { get; }
    public BenchProgram Program { get; } = new();
    public BenchCallback Callback { get; }

    /// <summary>Arms timer i at now + (i+1) x <paramref name="spacing"/> ns: one fire every spacing ns.</summary>
    public void ArmStaggered(long spacing)
    {
        for (var i = 0; i < Map.Entries; i++)
        {
            Check(Service.Start(Map.Timer(i), (ulong)((i + 1) * spacing), 0), "start");
        }
    }

    /// <summary>Arms every timer at a pseudo-random offset in [1, span] ns (a fixed permutation, so arming order
    /// differs from deadline order). Returns the largest offset.</summary>
    public long ArmScattered(long span)
    {
        var count = Map.Entries;
        long latest = 0;
        for (var i = 0; i < count; i++)
        {
            // 7919 is prime and does not divide the counts used, so i -> i*7919 mod n is a permutation.
            var slot = ((long)i * 7919) % count;
            var offset = 1 + (slot * span / count);
            latest = Math.Max(latest, offset);
            Check(Service.Start(Map.Timer(i), (ulong)offset, 0), "start");
        }

        return latest;
    }

    public void Dispose()
    {
        Service.Dispose();
        Map.Dispose();
    }

    public static void Check(long result, string what)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"bpf_timer_{what} returned {result}");
        }
    }
}

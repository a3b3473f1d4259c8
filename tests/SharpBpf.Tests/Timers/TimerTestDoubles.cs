using System.Runtime.InteropServices;
using SharpBpf.Time;
using SharpBpf.Timers;

namespace SharpBpf.Tests.Timers;

/// <summary>An ARRAY-like (u32 keys) or HASH-like (8-byte keys) map whose values live in native memory.</summary>
internal sealed unsafe class FakeTimerMap : ITimerMap, IDisposable
{
    public FakeTimerMap(string name, int entries, int valueSize = 32, int timerOffset = 8, bool hash = false)
    {
        Name = name;
        Entries = entries;
        ValueSize = valueSize;
        TimerOffset = timerOffset;
        KeySize = hash ? 8 : 4;
        Values = (nint)NativeMemory.AllocZeroed((nuint)entries * (nuint)valueSize);
        Keys = (nint)NativeMemory.AllocZeroed((nuint)entries * (nuint)KeySize);
        for (var i = 0; i < entries; i++)
        {
            if (hash)
            {
                *(ulong*)(Keys + (i * 8)) = 0xABCD_0000_0000UL + (ulong)i;
            }
            else
            {
                *(uint*)(Keys + (i * 4)) = (uint)i;
            }
        }
    }

    public string Name { get; }
    public int Entries { get; }
    public int ValueSize { get; }
    public int TimerOffset { get; }
    public int KeySize { get; }
    public nint Values { get; }
    public nint Keys { get; }
    public bool HasUserReferences { get; set; } = true;

    public nint Value(int index) => Values + (index * ValueSize);

    public nint Timer(int index) => Value(index) + TimerOffset;

    public int IndexOf(nint value) => (int)((value - Values) / ValueSize);

    public nint GetCallbackKey(nint valueAddress) => Keys + (IndexOf(valueAddress) * KeySize);

    public ulong SlotWord(int index) => *(ulong*)Timer(index);

    public void Dispose()
    {
        NativeMemory.Free((void*)Values);
        NativeMemory.Free((void*)Keys);
    }
}

internal sealed class CountingProgram(string name) : ITimerProgram
{
    private int _references;

    public string Name { get; } = name;

    public int References => Volatile.Read(ref _references);

    public void AddReference() => Interlocked.Increment(ref _references);

    public void ReleaseReference()
    {
        if (Interlocked.Decrement(ref _references) < 0)
        {
            throw new InvalidOperationException($"{Name}: released more references than taken");
        }
    }
}

internal sealed record FireRecord(string Callback, ITimerMap Map, nint Key, nint Value, long MonotonicNow);

/// <summary>A callback that records each call (in a shared log) and then runs an optional body.</summary>
internal sealed class RecordingCallback(string name, ITimerProgram? program, List<FireRecord> log, Func<long>? now = null)
    : ITimerCallback
{
    public Action<ITimerMap, nint, nint>? Body { get; set; }
    public long ReturnValue { get; set; }
    public int Calls;

    public ITimerProgram? Program { get; } = program;
    public string Name { get; } = name;

    public long Invoke(ITimerMap map, nint key, nint value)
    {
        Interlocked.Increment(ref Calls);
        lock (log)
        {
            log.Add(new FireRecord(Name, map, key, value, now?.Invoke() ?? 0));
        }

        Body?.Invoke(map, key, value);
        return ReturnValue;
    }
}

/// <summary>A virtual clock, a timer service on it, one array map of 16 elements and one program.</summary>
internal sealed class TimerFixture : IDisposable
{
    public TimerFixture(int entries = 16, bool hash = false)
    {
        Service = new TimerService(Clock);
        Map = new FakeTimerMap("timers", entries, hash: hash);
    }

    public VirtualClock Clock { get; } = new();
    public TimerService Service { get; }
    public FakeTimerMap Map { get; }
    public CountingProgram Program { get; } = new("prog");
    public List<FireRecord> Log { get; } = [];

    public RecordingCallback Callback(string name = "cb", ITimerProgram? program = null) =>
        new(name, program ?? Program, Log, () => Clock.Now);

    /// <summary>init (monotonic) + set_callback on element <paramref name="index"/>; returns the callback.</summary>
    public RecordingCallback Ready(int index, string? name = null, ulong clock = 1)
    {
        Assert.Equal(0, Service.Init(Map.Timer(index), Map, clock));
        var callback = Callback(name ?? $"cb{index}");
        Assert.Equal(0, Service.SetCallback(Map.Timer(index), callback));
        return callback;
    }

    public string[] Fired()
    {
        lock (Log)
        {
            return [.. Log.Select(r => r.Callback)];
        }
    }

    /// <summary>Disposes, then fails if any callback threw (an Assert inside a callback is recorded as a fault).</summary>
    public void Dispose()
    {
        var faults = Service.Faults;
        Service.Dispose();
        Map.Dispose();
        if (ExpectFaults is false && faults.Count > 0)
        {
            throw new InvalidOperationException("a timer callback faulted", faults[0].Exception);
        }
    }

    public bool ExpectFaults { get; set; }
}

internal static class TimerFaults
{
    /// <summary>The service catches what a callback throws (a failed assertion included) and records it as a fault, so
    /// the firing thread survives; this rethrows the first one on the test thread, so the test fails with it.</summary>
    public static void RethrowFirst(TimerService service)
    {
        var faults = service.Faults;
        if (faults.Count > 0)
        {
            throw new InvalidOperationException(
                $"{service.FaultCount} timer callback(s) faulted; the first, {faults[0].Callback}: {faults[0].Exception.Message}",
                faults[0].Exception);
        }
    }
}

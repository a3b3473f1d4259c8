using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;

namespace SharpBpf.Maps;

/// <summary>
/// Epoch-based reclamation for map memory. Every program run enters an epoch (<see cref="EnterRun"/>); memory a
/// map unlinks is <see cref="Retire">retired</see> with the current epoch and freed only once no run that could
/// have seen it is still in flight. Runs are counted per epoch (four counters, no per-thread state): the global
/// epoch advances from e to e+1 only when no run of epoch e-1 remains, so live runs are always in {G-1, G}, and
/// memory retired at epoch r is free to reclaim once G ≥ r+2.
/// Does not: bound how long a run may take (a stuck run blocks reclamation), or free memory on a timer.
/// </summary>
internal sealed class EpochManager
{
    public static EpochManager Shared { get; } = new();

    private readonly long[] _activeRuns = new long[4 * 16]; // one counter per epoch residue, 128 bytes apart
    private long _epoch = 2;
    private readonly Lock _retireLock = new();
    private readonly Queue<(nint Memory, long Epoch)> _retired = new(); // epochs never decrease along the queue
    private int _retiredCount;

    /// <summary>Memory waiting for in-flight runs to end.</summary>
    public int PendingCount => Volatile.Read(ref _retiredCount);

    public long CurrentEpoch => Volatile.Read(ref _epoch);

    /// <summary>
    /// Starts a program run on this thread: value pointers it obtains stay valid until the scope is disposed.
    /// <paramref name="cpu"/> becomes the ambient CPU (<see cref="RunScope.CurrentCpu"/>) per-CPU maps use.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RunScope EnterRun(int cpu = 0)
    {
        while (true)
        {
            var epoch = Volatile.Read(ref _epoch);
            Interlocked.Increment(ref Counter(epoch));
            if (Interlocked.Read(ref _epoch) == epoch) return new RunScope(this, epoch, cpu);
            Interlocked.Decrement(ref Counter(epoch));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void ExitRun(long epoch)
    {
        Interlocked.Decrement(ref Counter(epoch));
        if (Volatile.Read(ref _retiredCount) != 0) TryReclaim();
    }

    /// <summary>Frees <paramref name="memory"/> (from <see cref="NativeMemory.AlignedAlloc"/>) when no run that may see it is left.</summary>
    internal void Retire(nint memory)
    {
        lock (_retireLock)
        {
            _retired.Enqueue((memory, Interlocked.Read(ref _epoch)));
            _retiredCount = _retired.Count;
        }
        TryReclaim();
    }

    /// <summary>Advances the epoch as far as in-flight runs allow and frees what no run can still see.</summary>
    public void TryReclaim()
    {
        if (!_retireLock.TryEnter()) return;
        try
        {
            for (var step = 0; step < 2; step++)
            {
                var epoch = Interlocked.Read(ref _epoch);
                if (Interlocked.Read(ref Counter(epoch - 1)) != 0) break;
                Interlocked.Increment(ref _epoch);
            }
            var safeBelow = Interlocked.Read(ref _epoch) - 1; // retired at r is safe when r <= G-2, i.e. r < G-1
            while (_retired.TryPeek(out var item) && item.Epoch < safeBelow)
            {
                _retired.Dequeue();
                FreeNow(item.Memory);
            }
            _retiredCount = _retired.Count;
        }
        finally
        {
            _retireLock.Exit();
        }
    }

    private ref long Counter(long epoch) => ref _activeRuns[(int)(epoch & 3) * 16];

    internal static unsafe void FreeNow(nint memory) => NativeMemory.AlignedFree((void*)memory);
}

/// <summary>
/// A program run in progress (from <see cref="EpochManager.EnterRun"/>). Dispose it when the run ends. Also
/// carries the run's CPU index for per-CPU maps.
/// </summary>
internal readonly struct RunScope : IDisposable
{
    [ThreadStatic] private static int _currentCpu;

    private readonly EpochManager? _owner;
    private readonly long _epoch;
    private readonly int _previousCpu;

    internal RunScope(EpochManager owner, long epoch, int cpu)
    {
        _owner = owner;
        _epoch = epoch;
        _previousCpu = _currentCpu;
        _currentCpu = cpu;
    }

    /// <summary>The CPU index of the run in progress on this thread (0 outside runs); what <c>bpf_get_smp_processor_id</c> returns.</summary>
    public static int CurrentCpu => _currentCpu;

    public void Dispose()
    {
        if (_owner is null) return;
        _currentCpu = _previousCpu;
        _owner.ExitRun(_epoch);
    }
}

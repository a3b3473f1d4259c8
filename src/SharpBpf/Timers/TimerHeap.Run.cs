using System.Runtime.CompilerServices;
namespace SharpBpf.Timers;

// The sorted run: when one virtual advance fires a large share of a big queue, popping the heap costs a cache miss per
// level per fire. Instead the due entries are taken out once, radix-sorted by (deadline, sequence), and consumed in
// order; the rest is re-heapified. Head is always the earlier of the run's next live entry and the heap's root, and
// timers armed meanwhile go to the heap, so the order of fires is exactly the heap's. A timer cancelled or re-armed
// while in the run is marked dead in place (O(1)).
internal sealed unsafe partial class TimerHeap
{
    // Native like the heap, and kept for the next run: a 16 MB managed array per big advance would cost the garbage
    // collector a full collection over a million timer objects.
    private Entry* _run;
    private Entry* _scratch;
    private int _runCapacity;
    private int _runNext;
    private int _runEnd;
    private int _runLive;

    public bool HasRun => _runLive > 0;

    /// <summary>
    /// Moves every heap entry with a deadline at or before <paramref name="limit"/> into a sorted run, if there are at
    /// least <paramref name="minimum"/> of them, about a quarter of the heap or more, and no run is active. Returns
    /// whether it did.
    /// </summary>
    public bool TryBuildRun(long limit, int minimum)
    {
        if (_runLive > 0 || _count < minimum || !MostlyDue(limit))
        {
            return false;
        }

        var due = 0;
        for (var i = 0; i < _count; i++)
        {
            if (At(i).Deadline <= limit)
            {
                due++;
            }
        }

        if (due < minimum)
        {
            return false;
        }

        EnsureRunCapacity(due);
        var run = _run;
        int kept = 0, taken = 0;
        for (var i = 0; i < _count; i++)
        {
            var entry = At(i);
            if (entry.Deadline <= limit)
            {
                run[taken++] = entry;
            }
            else
            {
                At(kept) = entry;
                _positions[entry.Timer] = kept + 1;
                kept++;
            }
        }

        _count = kept;
        if (kept > 1)
        {
            for (var i = (kept - 2) / Arity; i >= 0; i--)
            {
                SiftDown(i, At(i));
            }
        }

        TimerEntrySorter.Sort(new Span<Entry>(run, due), new Span<Entry>(_scratch, due));
        for (var r = 0; r < due; r++)
        {
            _positions[run[r].Timer] = -(r + 1);
        }

        _runNext = 0;
        _runEnd = due;
        _runLive = due;
        return true;
    }

    // Re-heapifying what stays costs O(n) with cache misses: worth it only when a good share of the heap is due. A
    // sample of evenly spaced slots estimates that share without reading the whole heap.
    private bool MostlyDue(long limit)
    {
        const int samples = 256;
        var step = Math.Max(1, _count / samples);
        int seen = 0, due = 0;
        for (var i = 0; i < _count; i += step)
        {
            seen++;
            if (At(i).Deadline <= limit)
            {
                due++;
            }
        }

        return due * 4 >= seen;
    }

    /// <summary>The timer <paramref name="distance"/> live-or-dead entries after the run's next one, or -1: what will
    /// fire soon, for prefetching only.</summary>
    public int RunAhead(int distance)
    {
        var index = _runNext + distance;
        return _runLive > 0 && index < _runEnd ? _run[index].Timer : -1;
    }

    /// <summary>A hint, nothing more: asks for the position-table entry of <paramref name="timer"/>, which taking it out
    /// of the run will write (a million timers' positions are 4 MB, read in a random order when deadlines are scattered).</summary>
    public unsafe void PrefetchPosition(int timer)
    {
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported && (uint)timer < (uint)_positions.Length)
        {
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref _positions[timer]));
        }
    }

    private void RemoveFromRun(int timer)
    {
        var index = -_positions[timer] - 1;
        _positions[timer] = 0;
        _run[index].Timer = -1;
        if (--_runLive == 0)
        {
            ClearRun();
            return;
        }

        while (_runNext < _runEnd && _run[_runNext].Timer < 0)
        {
            _runNext++;
        }
    }

    private void ClearRun()
    {
        for (var i = _runNext; i < _runEnd && _runLive > 0; i++)
        {
            if (_run[i].Timer >= 0)
            {
                _positions[_run[i].Timer] = 0;
                _runLive--;
            }
        }

        _runNext = _runEnd = _runLive = 0;
    }

    private void EnsureRunCapacity(int count)
    {
        if (count <= _runCapacity)
        {
            return;
        }

        FreeRun();
        var bytes = (nuint)count * (nuint)sizeof(Entry);
        _run = (Entry*)System.Runtime.InteropServices.NativeMemory.Alloc(bytes);
        _scratch = (Entry*)System.Runtime.InteropServices.NativeMemory.Alloc(bytes);
        _runCapacity = count;
    }

    private void FreeRun()
    {
        System.Runtime.InteropServices.NativeMemory.Free(_run);
        System.Runtime.InteropServices.NativeMemory.Free(_scratch);
        _run = null;
        _scratch = null;
        _runCapacity = 0;
    }

    private void RenumberRun(Func<uint, uint> renumber)
    {
        for (var i = _runNext; i < _runEnd; i++)
        {
            if (_run[i].Timer >= 0)
            {
                _run[i].Sequence = renumber(_run[i].Sequence);
            }
        }
    }

    private void CollectRunSequences(List<uint> into)
    {
        for (var i = _runNext; i < _runEnd; i++)
        {
            if (_run[i].Timer >= 0)
            {
                into.Add(_run[i].Sequence);
            }
        }
    }
}

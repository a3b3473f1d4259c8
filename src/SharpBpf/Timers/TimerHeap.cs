using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SharpBpf.Timers;

/// <summary>
/// An indexed 8-ary min-heap of the armed timers of one clock, ordered by (deadline, arming sequence). Timers are
/// named by their pool index. Each 16-byte entry carries its whole sort key, so sifting never touches a timer object
/// (a million of them do not fit in any cache) and stores no object reference (no GC write barrier). The entries live
/// in native memory aligned and offset so that the eight children of a node fill exactly one 128-byte block (two
/// adjacent cache lines, fetched together): a pop from a million timers costs one block per level over seven levels.
/// Measured with a million scattered timers: 8-ary beat 4-ary (more levels) and 16-ary (four lines per level).
/// A position table (pool index to slot) makes arm, re-arm and cancel O(log n).
/// </summary>
/// <remarks>
/// Not thread-safe: the service's lock guards it. It does not assign sequences; the service does, and renumbers them
/// (<see cref="RenumberSequences"/>) before its 32-bit counter would wrap, so plain unsigned comparison stays exact.
/// </remarks>
internal sealed unsafe partial class TimerHeap : IDisposable
{
    private const int Arity = 8;
    private const int ChildrenBytes = Arity * 16;

    /// <summary>Entry k lives at slot k + Arity - 1, so the children of node i (entries Arity*i+1 ..) start at byte
    /// ChildrenBytes*(i+1): with the block aligned to ChildrenBytes they never straddle an extra cache line.</summary>
    private const int Origin = Arity - 1;

    private Entry* _slots;
    private int _capacity;
    private int _count;

    /// <summary>Slot + 1 of each timer in the heap by pool index, -(run index + 1) for one in the sorted run, 0 when
    /// the timer is in neither.</summary>
    private int[] _positions = new int[16];

    [StructLayout(LayoutKind.Sequential, Size = 16)]
    public struct Entry
    {
        public long Deadline;
        public uint Sequence;
        public int Timer;
    }

    public TimerHeap()
    {
        Grow(16);
    }

    ~TimerHeap() => Free();

    public int Count => _count + _runLive;

    /// <summary>The earliest entry (of the heap and the sorted run); only valid while <see cref="Count"/> &gt; 0.</summary>
    public ref readonly Entry Head
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        get
        {
            if (_runLive > 0 && (_count == 0 || Before(_run[_runNext], At(0))))
            {
                return ref _run[_runNext];
            }

            return ref At(0);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Contains(int timer) => timer < _positions.Length && _positions[timer] != 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Insert(int timer, long deadline, uint sequence)
    {
        if (_count == _capacity)
        {
            Grow(_capacity * 2);
        }

        if (timer >= _positions.Length)
        {
            Array.Resize(ref _positions, Math.Max(_positions.Length * 2, timer + 1));
        }

        SiftUp(_count++, new Entry { Deadline = deadline, Sequence = sequence, Timer = timer });
    }

    /// <summary>Takes <paramref name="timer"/> out of the heap. False when it was not in it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Remove(int timer)
    {
        if (!Contains(timer))
        {
            return false;
        }

        if (_positions[timer] < 0)
        {
            RemoveFromRun(timer);
            return true;
        }

        var index = _positions[timer] - 1;
        _positions[timer] = 0;
        var last = At(--_count);
        if (index == _count)
        {
            return true;
        }

        if (index > 0 && Before(last, At((index - 1) / Arity)))
        {
            SiftUp(index, last);
        }
        else
        {
            SiftDown(index, last);
        }

        return true;
    }

    public void Clear()
    {
        for (var i = 0; i < _count; i++)
        {
            _positions[At(i).Timer] = 0;
        }

        _count = 0;
        ClearRun();
    }

    /// <summary>Visits every queued entry's sequence (any order) so the service can renumber them in place.</summary>
    public void RenumberSequences(Func<uint, uint> renumber)
    {
        for (var i = 0; i < _count; i++)
        {
            ref var entry = ref At(i);
            entry.Sequence = renumber(entry.Sequence);
        }

        RenumberRun(renumber);
    }

    /// <summary>Appends every queued sequence to <paramref name="into"/>.</summary>
    public void CollectSequences(List<uint> into)
    {
        for (var i = 0; i < _count; i++)
        {
            into.Add(At(i).Sequence);
        }

        CollectRunSequences(into);
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Entry At(int index) => ref _slots[index + Origin];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Before(in Entry a, in Entry b) =>
        a.Deadline < b.Deadline || (a.Deadline == b.Deadline && a.Sequence < b.Sequence);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SiftUp(int index, Entry entry)
    {
        while (index > 0)
        {
            var parentIndex = (index - 1) / Arity;
            ref var parent = ref At(parentIndex);
            if (!Before(entry, parent))
            {
                break;
            }

            Place(index, parent);
            index = parentIndex;
        }

        Place(index, entry);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SiftDown(int index, Entry entry)
    {
        var count = _count;
        while (true)
        {
            var first = (index * Arity) + 1;
            if (first >= count)
            {
                break;
            }

            var best = first;
            var end = Math.Min(first + Arity, count);
            for (var child = first + 1; child < end; child++)
            {
                if (Before(At(child), At(best)))
                {
                    best = child;
                }
            }

            ref var smallest = ref At(best);
            if (!Before(smallest, entry))
            {
                break;
            }

            Place(index, smallest);
            index = best;
        }

        Place(index, entry);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Place(int index, in Entry entry)
    {
        At(index) = entry;
        _positions[entry.Timer] = index + 1;
    }

    private void Grow(int capacity)
    {
        var bytes = (nuint)(capacity + Origin + Arity) * (nuint)sizeof(Entry);
        var slots = (Entry*)NativeMemory.AlignedAlloc(bytes, ChildrenBytes);
        if (_slots is not null)
        {
            Buffer.MemoryCopy(_slots + Origin, slots + Origin, (long)bytes, (long)_count * sizeof(Entry));
            NativeMemory.AlignedFree(_slots);
        }

        _slots = slots;
        _capacity = capacity;
    }

    private void Free()
    {
        _runNext = _runEnd = _runLive = 0;
        FreeRun();
        if (_slots is not null)
        {
            NativeMemory.AlignedFree(_slots);
            _slots = null;
            _capacity = 0;
            _count = 0;
        }
    }
}

namespace SharpBpf.Timers;

/// <summary>
/// An indexed 4-ary min-heap of armed timers of one clock, ordered by (deadline, arming sequence). Keys are stored
/// inline next to the timer reference so that sifting compares without touching the timer objects (a million
/// timers do not fit in cache), and each timer knows its position, so arm, re-arm, cancel and pop are O(log n).
/// Not thread-safe: the service's lock guards it.
/// </summary>
internal sealed class TimerHeap
{
    private const int Arity = 4;
    private Entry[] _items = new Entry[16];
    private int _count;

    private struct Entry
    {
        public long Deadline;
        public long Sequence;
        public BpfTimer Timer;
    }

    public int Count => _count;

    public BpfTimer? Peek => _count > 0 ? _items[0].Timer : null;

    public void Insert(BpfTimer timer)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        var entry = new Entry { Deadline = timer.Deadline, Sequence = timer.Sequence, Timer = timer };
        SiftUp(_count++, entry);
    }

    public void Remove(BpfTimer timer)
    {
        var index = timer.HeapIndex;
        timer.HeapIndex = -1;
        var last = _items[--_count];
        _items[_count] = default;
        if (index == _count)
        {
            return;
        }

        if (index > 0 && Before(last, _items[(index - 1) / Arity]))
        {
            SiftUp(index, last);
        }
        else
        {
            SiftDown(index, last);
        }
    }

    public void Clear()
    {
        for (var i = 0; i < _count; i++)
        {
            _items[i].Timer.HeapIndex = -1;
        }

        _items = new Entry[16];
        _count = 0;
    }

    private static bool Before(in Entry a, in Entry b) =>
        a.Deadline < b.Deadline || (a.Deadline == b.Deadline && a.Sequence < b.Sequence);

    private void SiftUp(int index, Entry entry)
    {
        while (index > 0)
        {
            var parentIndex = (index - 1) / Arity;
            if (!Before(entry, _items[parentIndex]))
            {
                break;
            }

            Place(index, _items[parentIndex]);
            index = parentIndex;
        }

        Place(index, entry);
    }

    private void SiftDown(int index, Entry entry)
    {
        while (true)
        {
            var first = (index * Arity) + 1;
            if (first >= _count)
            {
                break;
            }

            var best = first;
            var end = Math.Min(first + Arity, _count);
            for (var child = first + 1; child < end; child++)
            {
                if (Before(_items[child], _items[best]))
                {
                    best = child;
                }
            }

            if (!Before(_items[best], entry))
            {
                break;
            }

            Place(index, _items[best]);
            index = best;
        }

        Place(index, entry);
    }

    private void Place(int index, in Entry entry)
    {
        _items[index] = entry;
        entry.Timer.HeapIndex = index;
    }
}

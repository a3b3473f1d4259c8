namespace SharpBpf.Timers;

/// <summary>
/// An indexed binary min-heap of armed timers of one clock, ordered by (deadline, arming sequence). Each timer knows
/// its position, so arm, re-arm, cancel and pop are O(log n). Not thread-safe: the service's lock guards it.
/// </summary>
internal sealed class TimerHeap
{
    private BpfTimer[] _items = new BpfTimer[16];
    private int _count;

    public int Count => _count;

    public BpfTimer? Peek => _count > 0 ? _items[0] : null;

    public void Insert(BpfTimer timer)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[_count] = timer;
        timer.HeapIndex = _count;
        _count++;
        SiftUp(timer.HeapIndex);
    }

    public void Remove(BpfTimer timer)
    {
        var index = timer.HeapIndex;
        var last = _items[--_count];
        _items[_count] = null!;
        timer.HeapIndex = -1;
        if (index == _count)
        {
            return;
        }

        _items[index] = last;
        last.HeapIndex = index;
        SiftUp(index);
        SiftDown(last.HeapIndex);
    }

    public void Clear()
    {
        for (var i = 0; i < _count; i++)
        {
            _items[i].HeapIndex = -1;
        }

        _items = new BpfTimer[16];
        _count = 0;
    }

    private static bool Before(BpfTimer a, BpfTimer b) =>
        a.Deadline < b.Deadline || (a.Deadline == b.Deadline && a.Sequence < b.Sequence);

    private void SiftUp(int index)
    {
        var item = _items[index];
        while (index > 0)
        {
            var parentIndex = (index - 1) >> 1;
            var parent = _items[parentIndex];
            if (!Before(item, parent))
            {
                break;
            }

            _items[index] = parent;
            parent.HeapIndex = index;
            index = parentIndex;
        }

        _items[index] = item;
        item.HeapIndex = index;
    }

    private void SiftDown(int index)
    {
        var item = _items[index];
        while (true)
        {
            var child = (2 * index) + 1;
            if (child >= _count)
            {
                break;
            }

            if (child + 1 < _count && Before(_items[child + 1], _items[child]))
            {
                child++;
            }

            if (!Before(_items[child], item))
            {
                break;
            }

            _items[index] = _items[child];
            _items[index].HeapIndex = index;
            index = child;
        }

        _items[index] = item;
        item.HeapIndex = index;
    }
}

namespace SharpBpf.Maps;

/// <summary>
/// QUEUE (FIFO) and STACK (LIFO) (kernel/bpf/queue_stack_maps.c): a ring of max_entries + 1 slots under one
/// lock. Push with BPF_NOEXIST or unknown flags is -EINVAL; a full map gives -E2BIG, or with BPF_EXIST drops
/// the oldest element (for both kinds). Pop/peek of an empty map zero the destination and give -ENOENT.
/// Host form: <see cref="BpfMap.Update"/> pushes, <see cref="BpfMap.Lookup"/> peeks, <see cref="BpfMap.LookupAndDelete"/> pops (keys are empty).
/// </summary>
internal sealed unsafe class QueueStackMap : BpfMap
{
    private readonly byte* _slots;
    private readonly uint _size;
    private readonly Lock _lock = new();
    private readonly bool _isStack;
    private uint _head;
    private uint _tail;

    internal QueueStackMap(MapDefinition definition, MapCreateOptions options) : base(definition, options)
    {
        _size = definition.MaxEntries + 1;
        _isStack = definition.Type == MapType.Stack;
        _slots = ValueLayout.AllocateZeroed((nuint)_size * (nuint)ValueSize);
    }

    public override int Count
    {
        get
        {
            lock (_lock) return (int)((_head + _size - _tail) % _size);
        }
    }

    internal override long PushElem(nint value, ulong flags) => Push(new ReadOnlySpan<byte>((void*)value, ValueSize), flags).ToHelperResult();
    internal override long PopElem(nint value) => Get(new Span<byte>((void*)value, ValueSize), delete: true).ToHelperResult();
    internal override long PeekElem(nint value) => Get(new Span<byte>((void*)value, ValueSize), delete: false).ToHelperResult();

    public override Errno Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckHostValue(value.Length, nameof(value));
        return Push(value, (ulong)flags);
    }

    public override Errno Lookup(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckHostValue(value.Length, nameof(value));
        if (flags != MapUpdateFlags.Any) return Errno.EINVAL;
        return Get(value, delete: false);
    }

    public override Errno LookupAndDelete(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckHostValue(value.Length, nameof(value));
        if (flags != MapUpdateFlags.Any) return Errno.EINVAL;
        return Get(value, delete: true);
    }

    public override Errno Delete(ReadOnlySpan<byte> key) => Errno.EINVAL;
    public override Errno GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey) => Errno.EINVAL;

    private Errno Push(ReadOnlySpan<byte> value, ulong flags)
    {
        if ((flags & (ulong)MapUpdateFlags.NoExist) != 0 || flags > (ulong)MapUpdateFlags.Exist) return Errno.EINVAL;
        lock (_lock)
        {
            if (Next(_head) == _tail)
            {
                if ((flags & (ulong)MapUpdateFlags.Exist) == 0) return Errno.E2BIG;
                _tail = Next(_tail);
            }
            value[..ValueSize].CopyTo(new Span<byte>(_slots + (nuint)_head * (nuint)ValueSize, ValueSize));
            _head = Next(_head);
        }
        return Errno.None;
    }

    private Errno Get(Span<byte> value, bool delete)
    {
        lock (_lock)
        {
            if (_head == _tail)
            {
                value[..ValueSize].Clear();
                return Errno.ENOENT;
            }
            uint index;
            if (_isStack)
            {
                index = _head == 0 ? _size - 1 : _head - 1;
                if (delete) _head = index;
            }
            else
            {
                index = _tail;
                if (delete) _tail = Next(_tail);
            }
            new ReadOnlySpan<byte>(_slots + (nuint)index * (nuint)ValueSize, ValueSize).CopyTo(value);
        }
        return Errno.None;
    }

    private uint Next(uint position) => position + 1 >= _size ? 0 : position + 1;

    protected override void FreeMemory() => Epochs.Retire((nint)_slots);
}

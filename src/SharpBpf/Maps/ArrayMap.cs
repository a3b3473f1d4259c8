using System.Runtime.CompilerServices;
namespace SharpBpf.Maps;

/// <summary>
/// ARRAY and PERCPU_ARRAY (kernel/bpf/arraymap.c): every element exists from creation, zeroed, in one native
/// block whose addresses never change. Per-CPU layout: element i, CPU c at <c>(i * cpus + c) * round_up(value_size, 8)</c>.
/// Elements cannot be deleted (-EINVAL). Does not: implement mmap (BPF_F_MMAPABLE is accepted and ignored).
/// </summary>
internal sealed unsafe class ArrayMap : BpfMap
{
    private readonly byte* _values;
    private readonly int _stride;
    private readonly int _copies;

    internal ArrayMap(MapDefinition definition, MapCreateOptions options) : base(definition, options)
    {
        _stride = PerCpuStride;
        _copies = IsPerCpu ? PossibleCpus : 1;
        _values = ValueLayout.AllocateZeroed((nuint)MaxEntries * (nuint)_copies * (nuint)_stride);
    }

    public override int Count => MaxEntries;

    /// <summary>Element 0's value (CPU 0's copy): where an inlined lookup's address arithmetic starts.</summary>
    internal nint ValuesBase => (nint)_values;

    /// <summary>Bytes from one element's value to the next (per-CPU arrays: a slot per CPU in between).</summary>
    internal int ElementStride => _stride * _copies;

    /// <summary>Address of element <paramref name="index"/> for <paramref name="cpu"/> (0 for plain arrays).</summary>
    public nint ValueAddress(uint index, int cpu = 0)
    {
        if (index >= (uint)MaxEntries || (uint)cpu >= (uint)_copies) return 0;
        return (nint)Slot(index, cpu);
    }

    /// <summary>The index of the element whose value (or per-CPU copy) starts at <paramref name="valueAddress"/>.</summary>
    public bool TryGetIndex(nint valueAddress, out uint index)
    {
        var offset = (nuint)valueAddress - (nuint)_values;
        var slot = offset / (nuint)_stride;
        index = (uint)(slot / (nuint)_copies);
        return valueAddress >= (nint)_values && offset % (nuint)_stride == 0 && index < (uint)MaxEntries;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override bool HoldsValueBytes(ulong address, ulong size)
    {
        var offset = address - (ulong)_values;
        var total = (ulong)MaxEntries * (ulong)_copies * (ulong)_stride;
        return address >= (ulong)_values && offset < total && size - 1 < (ulong)ValueSize
            && offset % (ulong)_stride <= (ulong)ValueSize - size && !IsDisposed;
    }

    private byte* Slot(uint index, int cpu) => _values + ((nuint)index * (nuint)_copies + (nuint)cpu) * (nuint)_stride;

    public override Errno Lookup(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckKey(key);
        CheckHostValue(value.Length, nameof(value));
        if ((flags & ~MapUpdateFlags.Lock) != 0) return Errno.EINVAL;
        if ((flags & MapUpdateFlags.Lock) != 0 && !Layout.HasSpinLock) return Errno.EINVAL;
        var index = ReadIndex(key);
        if (index >= (uint)MaxEntries) return Errno.ENOENT;
        if ((flags & MapUpdateFlags.Lock) != 0)
        {
            Layout.CopyOutLocked(value, Slot(index, 0));
            return Errno.None;
        }
        for (var cpu = 0; cpu < _copies; cpu++)
        {
            var target = value.Slice(cpu * _stride, IsPerCpu ? _stride : ValueSize);
            Layout.CopyOut(target, Slot(index, cpu));
        }
        return Errno.None;
    }

    public override Errno Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckKey(key);
        CheckHostValue(value.Length, nameof(value));
        if ((flags & MapUpdateFlags.Lock) != 0 && !Layout.HasSpinLock) return Errno.EINVAL;
        var index = ReadIndex(key);
        if (!IsPerCpu) return UpdateCore(index, value, (ulong)flags);
        if ((ulong)flags > (ulong)MapUpdateFlags.Exist) return Errno.EINVAL;
        if (index >= (uint)MaxEntries) return Errno.E2BIG;
        if (flags == MapUpdateFlags.NoExist) return Errno.EEXIST;
        for (var cpu = 0; cpu < _copies; cpu++)
            Layout.CopyIn(Slot(index, cpu), value.Slice(cpu * _stride, ValueSize));
        return Errno.None;
    }

    public override Errno Delete(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        CheckKey(key);
        return Errno.EINVAL;
    }

    public override Errno GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        ThrowIfDisposed();
        if (nextKey.Length < 4) ThrowHelper.BufferTooSmall(nameof(nextKey), 4, nextKey.Length);
        uint next;
        if (key.IsEmpty) next = 0;
        else
        {
            CheckKey(key);
            var index = ReadIndex(key);
            if (index >= (uint)MaxEntries) next = 0;
            else if (index == (uint)MaxEntries - 1) return Errno.ENOENT;
            else next = index + 1;
        }
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(nextKey, next);
        return Errno.None;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override nint LookupElem(nint key)
    {
        var index = *(uint*)key;
        if (index >= (uint)MaxEntries) return 0;
        return (nint)Slot(index, IsPerCpu ? CurrentCpu : 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override nint LookupPercpuElem(nint key, uint cpu)
    {
        if (!IsPerCpu) return 0;
        var index = *(uint*)key;
        if (index >= (uint)MaxEntries || cpu >= (uint)_copies) return 0;
        return (nint)Slot(index, (int)cpu);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override long UpdateElem(nint key, nint value, ulong flags) =>
        UpdateCore(*(uint*)key, new ReadOnlySpan<byte>((void*)value, ValueSize), flags).ToHelperResult();

    internal override long DeleteElem(nint key) => Errno.EINVAL.ToHelperResult();

    /// <summary>array_map_update_elem: flags, then index, then NOEXIST, then BPF_F_LOCK needing a spin lock.</summary>
    private Errno UpdateCore(uint index, ReadOnlySpan<byte> value, ulong flags)
    {
        if ((flags & ~(ulong)MapUpdateFlags.Lock) > (ulong)MapUpdateFlags.Exist) return Errno.EINVAL;
        if (index >= (uint)MaxEntries) return Errno.E2BIG;
        if ((flags & (ulong)MapUpdateFlags.NoExist) != 0) return Errno.EEXIST;
        var locked = (flags & (ulong)MapUpdateFlags.Lock) != 0;
        if (locked && !Layout.HasSpinLock) return Errno.EINVAL;
        var slot = Slot(index, IsPerCpu ? CurrentCpu : 0);
        if (!IsPerCpu && ElementObserver is not null)
        {
            var keyCopy = index;
            NotifyReleasing((nint)slot, (nint)(&keyCopy), ElementReleaseReason.ArrayUpdated);
        }
        if (locked) Layout.CopyInLocked(slot, value);
        else Layout.CopyIn(slot, value);
        return Errno.None;
    }

    private static uint ReadIndex(ReadOnlySpan<byte> key) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(key);

    protected override void FreeMemory() => Epochs.Retire((nint)_values);
}

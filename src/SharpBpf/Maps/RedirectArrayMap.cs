using System.Buffers.Binary;

namespace SharpBpf.Maps;

/// <summary>
/// DEVMAP, CPUMAP and XSKMAP (kernel/bpf/devmap.c, cpumap.c, net/xdp/xskmap.c): arrays of optional targets for
/// <c>bpf_redirect_map</c>. An empty slot makes the redirect fall back to the action in its flags.
/// <list type="bullet">
/// <item>DEVMAP values are <c>{ u32 ifindex; u32 prog_fd; }</c> (the fd only with value size 8). An ifindex with no
/// device is -EINVAL (see <see cref="MapCreateOptions.InterfaceExists"/>); ifindex 0 empties the slot. Reading back
/// gives the ifindex and the program's id (always 0: SharpBpf has no program fds, so any fd &gt; 0 is -EINVAL, as
/// the kernel says for an fd that is not a devmap program).</item>
/// <item>CPUMAP values are <c>{ u32 qsize; u32 prog_fd; }</c>: qsize 0 empties the slot, above 16384 is -EOVERFLOW,
/// a key that is not a possible CPU -ENODEV.</item>
/// <item>XSKMAP values are AF_XDP socket fds. SharpBpf has no sockets, so every update is -EBADF (the kernel's
/// answer for an fd that is not open) and slots stay empty; host lookups are -EOPNOTSUPP as in Linux.</item>
/// </list>
/// Shared rules measured on Linux 6.18: update flags above BPF_EXIST -EINVAL, a key past max_entries -E2BIG,
/// BPF_NOEXIST -EEXIST (the slot always exists), BPF_EXIST on an empty slot succeeds; delete past the end -EINVAL,
/// of an empty slot 0; get_next_key walks every index like an array.
/// </summary>
internal sealed unsafe class RedirectArrayMap : BpfMap
{
    /// <summary>The largest cpumap queue the kernel allocates (a larger qsize is -EOVERFLOW).</summary>
    public const uint CpumapMaxQueueSize = 16384;

    private readonly Lock _lock = new();
    // Only filled slots exist: devmaps are declared with up to 2^31 entries (the kernel accepts that) and few set.
    private readonly Dictionary<uint, nint> _slots = [];
    private readonly uint _maxEntries;

    internal RedirectArrayMap(MapDefinition definition, MapCreateOptions options) : base(definition, options) =>
        _maxEntries = definition.MaxEntries;

    public override int Count
    {
        get
        {
            lock (_lock) return _slots.Count;
        }
    }

    public override Errno Lookup(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckKey(key);
        CheckHostValue(value.Length, nameof(value));
        if (Type == MapType.Xskmap) return Errno.EOPNOTSUPP;
        var index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        lock (_lock)
        {
            if (!_slots.TryGetValue(index, out var slot)) return Errno.ENOENT;
            new ReadOnlySpan<byte>((void*)slot, ValueSize).CopyTo(value);
            return Errno.None;
        }
    }

    public override Errno Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckKey(key);
        CheckHostValue(value.Length, nameof(value));
        if ((ulong)flags > (ulong)MapUpdateFlags.Exist) return Errno.EINVAL;
        var index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= _maxEntries) return Errno.E2BIG;
        if (flags == MapUpdateFlags.NoExist) return Errno.EEXIST;
        var first = BinaryPrimitives.ReadUInt32LittleEndian(value);
        var programFd = ValueSize >= 8 ? BinaryPrimitives.ReadInt32LittleEndian(value[4..]) : 0;
        var errno = Type switch
        {
            MapType.Devmap => CheckDevice(first, programFd),
            MapType.Cpumap => CheckCpu(index, first, programFd),
            _ => Errno.EBADF,
        };
        if (errno != Errno.None) return errno;
        // ifindex 0 / qsize 0 empty the slot.
        Store(index, first == 0 ? 0 : first);
        return Errno.None;
    }

    public override Errno Delete(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        CheckKey(key);
        var index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= _maxEntries) return Errno.EINVAL;
        Store(index, 0);
        return Errno.None;
    }

    public override Errno GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        ThrowIfDisposed();
        if (nextKey.Length < KeySize) ThrowHelper.BufferTooSmall(nameof(nextKey), KeySize, nextKey.Length);
        var index = key.Length >= KeySize ? BinaryPrimitives.ReadUInt32LittleEndian(key) : uint.MaxValue;
        uint next;
        if (index >= _maxEntries) next = 0;
        else if (index == _maxEntries - 1) return Errno.ENOENT;
        else next = index + 1;
        BinaryPrimitives.WriteUInt32LittleEndian(nextKey, next);
        return Errno.None;
    }

    /// <summary>The slot's value for programs (devmap lookups and <c>bpf_redirect_map</c>); XSKMAP slots are always empty.</summary>
    internal override nint LookupElem(nint key)
    {
        var index = *(uint*)key;
        lock (_lock) return _slots.GetValueOrDefault(index);
    }

    private Errno CheckDevice(uint ifIndex, int programFd)
    {
        if (programFd > 0) return Errno.EINVAL;
        if (ifIndex != 0 && !Options.InterfaceExists(ifIndex)) return Errno.EINVAL;
        return Errno.None;
    }

    private Errno CheckCpu(uint cpu, uint queueSize, int programFd)
    {
        if (queueSize > CpumapMaxQueueSize) return Errno.EOVERFLOW;
        if (cpu >= (uint)PossibleCpus) return Errno.ENODEV;
        if (programFd > 0) return Errno.EINVAL;
        return Errno.None;
    }

    /// <summary>Replaces a slot with <c>{ first, 0 }</c> (or empties it); the old value is freed once runs in flight end.</summary>
    private void Store(uint index, uint first)
    {
        nint memory = 0;
        if (first != 0)
        {
            memory = (nint)ValueLayout.AllocateZeroed((nuint)ValueSize);
            *(uint*)memory = first;
        }
        lock (_lock)
        {
            if (_slots.Remove(index, out var old)) Epochs.Retire(old);
            if (memory != 0) _slots[index] = memory;
        }
    }

    protected override void FreeMemory()
    {
        lock (_lock)
        {
            foreach (var slot in _slots.Values) Epochs.Retire(slot);
            _slots.Clear();
        }
    }
}

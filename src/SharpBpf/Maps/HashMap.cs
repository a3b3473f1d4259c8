using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;

namespace SharpBpf.Maps;

/// <summary>
/// HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH (kernel/bpf/hashtab.c). Buckets are a power of two ≥
/// max_entries; a new element goes to the head of its bucket and iteration (<see cref="GetNextKey"/>) walks
/// buckets in order, chains head first, so the order is stable while the map is unchanged. Lookups take no
/// lock; updates and deletes take one map-wide lock. A replacing update installs a new element (new address)
/// and releases the old one, except BPF_F_LOCK updates and per-CPU maps, which update in place as the kernel does.
/// Elements are preallocated as the kernel's (<see cref="HashNodePool"/>: max_entries + 1, a released one reused by
/// the next update, nothing allocated or freed per update); with BPF_F_NO_PREALLOC each element is allocated and
/// freed through the epochs.
/// <para>LRU policy (documented choice): the kernel takes a new node before it looks the key up, and when no
/// node is free it evicts a batch at once. We do the same: an update of a full LRU map (even a replacing or
/// failing one) first evicts <c>clamp(max_entries / possible_cpus / 2, 1, 128)</c> elements — Linux 6.18's
/// <c>target_free</c>, the reason the kernel's batches depend on the CPU count — chosen oldest-first with a
/// second chance for elements a program looked up since the last scan (the kernel's ref bit). So inserts into
/// a full map succeed, recently used and newest keys survive, older ones go. With BPF_F_NO_COMMON_LRU the
/// batch is the kernel's per-CPU target of 4. We do not model the kernel's per-CPU free lists.</para>
/// Does not: resize, or use a seeded hash (the order is deterministic across processes).
/// </summary>
internal unsafe class HashMap : BpfMap
{
    private const int MaxBuckets = 1 << 22;
    private readonly HashNode?[] _buckets;
    private readonly uint _bucketMask;
    private readonly Lock _writeLock = new();
    private readonly int _valueArea;
    private readonly int _copies;
    private readonly bool _lru;
    private readonly int _evictionBatch;
    private int _count;
    private HashNode? _lruNewest;
    private HashNode? _lruOldest;
    private readonly HashNodePool? _pool;

    internal HashMap(MapDefinition definition, MapCreateOptions options) : base(definition, options)
    {
        var buckets = (int)Math.Min(BitOperations.RoundUpToPowerOf2(definition.MaxEntries), MaxBuckets);
        _buckets = new HashNode?[buckets];
        _bucketMask = (uint)buckets - 1;
        _copies = IsPerCpu ? PossibleCpus : 1;
        _valueArea = PerCpuStride * _copies;
        _lru = Type is MapType.LruHash or MapType.LruPercpuHash;
        _evictionBatch = (Flags & MapCreateFlags.NoCommonLru) != 0
            ? 4
            : Math.Clamp(MaxEntries / PossibleCpus / 2, 1, 128);
        // One element more than max_entries: a replacing update takes the new element before it releases the old.
        if ((Flags & MapCreateFlags.NoPrealloc) == 0) _pool = new HashNodePool(MaxEntries + 1, _valueArea, KeySize);
    }

    /// <summary>The preallocated elements' block (start, length), or (0, 0) with BPF_F_NO_PREALLOC.</summary>
    internal (nint Start, ulong Length) PreallocatedStorage => _pool is { } pool ? (pool.Start, pool.Length) : (0, 0);

    internal override bool HoldsValueBytes(ulong address, ulong size)
    {
        if (_pool is not { } pool || IsDisposed) return false;
        var offset = address - (ulong)pool.Start;
        if (address < (ulong)pool.Start || offset >= pool.Length || size - 1 >= (ulong)ValueSize) return false;
        var inElement = offset % (ulong)pool.ElementSize;
        if (inElement >= (ulong)_valueArea) return false;
        return inElement % (ulong)PerCpuStride <= (ulong)ValueSize - size;
    }

    public override int Count => Volatile.Read(ref _count);

    /// <summary>How many elements one LRU eviction removes (see the class remarks).</summary>
    public int LruEvictionBatch => _lru ? _evictionBatch : 0;

    /// <summary>The key sits right after the value area of the element's block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override nint KeyAddressOfValue(nint valueAddress) => IsPerCpu ? 0 : valueAddress + _valueArea;

    // ---- lookup ----

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private HashNode? Find(ReadOnlySpan<byte> key, uint hash)
    {
        var bucket = hash & _bucketMask;
        var head = KeyHead(key);
        var inHead = key.Length <= sizeof(ulong);
    restart:
        var node = Volatile.Read(ref _buckets[bucket]);
        while (node is not null)
        {
            // Keys of up to 8 bytes (most) compare as one word, without touching the key array.
            if (node.Hash == hash && node.KeyHead == head && (inHead || key.SequenceEqual(node.Key))) return node;
            var next = Volatile.Read(ref node.Next);
            // A preallocated node released and reused in another chain while we stood on it: start again.
            if (Volatile.Read(ref node.Bucket) != bucket) goto restart;
            node = next;
        }
        return null;
    }

    private nint ValueSlot(HashNode node, int cpu) => node.Block + cpu * PerCpuStride;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override nint LookupElem(nint key)
    {
        var keySpan = new ReadOnlySpan<byte>((void*)key, KeySize);
        var node = Find(keySpan, HashKey(keySpan));
        if (node is null) return 0;
        if (_lru && Volatile.Read(ref node.Referenced) == 0) Volatile.Write(ref node.Referenced, 1);
        return IsPerCpu ? ValueSlot(node, CurrentCpu) : node.Block;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override nint LookupPercpuElem(nint key, uint cpu)
    {
        if (!IsPerCpu || cpu >= (uint)_copies) return 0;
        var keySpan = new ReadOnlySpan<byte>((void*)key, KeySize);
        var node = Find(keySpan, HashKey(keySpan));
        if (node is null) return 0;
        if (_lru && Volatile.Read(ref node.Referenced) == 0) Volatile.Write(ref node.Referenced, 1);
        return ValueSlot(node, (int)cpu);
    }

    public override Errno Lookup(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckKey(key);
        CheckHostValue(value.Length, nameof(value));
        if ((flags & ~MapUpdateFlags.Lock) != 0) return Errno.EINVAL;
        if ((flags & MapUpdateFlags.Lock) != 0 && !Layout.HasSpinLock) return Errno.EINVAL;
        key = key[..KeySize];
        using var scope = Epochs.EnterRun(RunScope.CurrentCpu);
        var node = Find(key, HashKey(key));
        if (node is null) return Errno.ENOENT;
        CopyOut(node, value, (flags & MapUpdateFlags.Lock) != 0);
        return Errno.None;
    }

    private void CopyOut(HashNode node, Span<byte> value, bool locked)
    {
        if (locked)
        {
            Layout.CopyOutLocked(value, (byte*)node.Block);
            return;
        }
        for (var cpu = 0; cpu < _copies; cpu++)
            Layout.CopyOut(value.Slice(cpu * PerCpuStride, IsPerCpu ? PerCpuStride : ValueSize), (byte*)ValueSlot(node, cpu));
    }

    public override Errno GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        ThrowIfDisposed();
        if (nextKey.Length < KeySize) ThrowHelper.BufferTooSmall(nameof(nextKey), KeySize, nextKey.Length);
        var bucket = 0u;
        if (!key.IsEmpty)
        {
            CheckKey(key);
            key = key[..KeySize];
            var hash = HashKey(key);
            var node = Find(key, hash);
            if (node is not null)
            {
                var next = Volatile.Read(ref node.Next);
                if (next is not null)
                {
                    next.Key.CopyTo(nextKey);
                    return Errno.None;
                }
                bucket = (hash & _bucketMask) + 1;
            }
        }
        for (; bucket < (uint)_buckets.Length; bucket++)
        {
            var first = Volatile.Read(ref _buckets[bucket]);
            if (first is null) continue;
            first.Key.CopyTo(nextKey);
            return Errno.None;
        }
        return Errno.ENOENT;
    }

    // ---- update ----

    public override Errno Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckKey(key);
        CheckHostValue(value.Length, nameof(value));
        if ((flags & MapUpdateFlags.Lock) != 0 && !Layout.HasSpinLock) return Errno.EINVAL;
        using var scope = Epochs.EnterRun(RunScope.CurrentCpu);
        return UpdateCore(key[..KeySize], value, (ulong)flags, onAllCpus: true);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override long UpdateElem(nint key, nint value, ulong flags) =>
        UpdateCore(new ReadOnlySpan<byte>((void*)key, KeySize), new ReadOnlySpan<byte>((void*)value, ValueSize), flags, onAllCpus: false)
            .ToHelperResult();

    private static Errno CheckFlags(HashNode? old, ulong flags)
    {
        var mode = flags & ~(ulong)MapUpdateFlags.Lock;
        if (old is not null && mode == (ulong)MapUpdateFlags.NoExist) return Errno.EEXIST;
        if (old is null && mode == (ulong)MapUpdateFlags.Exist) return Errno.ENOENT;
        return Errno.None;
    }

    /// <summary>
    /// <paramref name="onAllCpus"/>: the host (syscall) form, whose per-CPU value holds every CPU's copy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal Errno UpdateCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, bool onAllCpus)
    {
        if (IsPerCpu || _lru)
        {
            if (flags > (ulong)MapUpdateFlags.Exist) return Errno.EINVAL;
        }
        else if ((flags & ~(ulong)MapUpdateFlags.Lock) > (ulong)MapUpdateFlags.Exist) return Errno.EINVAL;

        var hash = HashKey(key);
        if ((flags & (ulong)MapUpdateFlags.Lock) != 0)
        {
            if (!Layout.HasSpinLock) return Errno.EINVAL;
            var existing = Find(key, hash);
            var flagError = CheckFlags(existing, flags);
            if (flagError != Errno.None) return flagError;
            if (existing is not null)
            {
                Layout.CopyInLocked((byte*)existing.Block, value);
                return Errno.None;
            }
        }

        List<HashNode>? evicted = null;
        HashNode? old;
        Errno result;
        lock (_writeLock)
        {
            if (IsDisposed) return Errno.ENOENT;
            // LRU: the kernel takes a free node before looking the key up; with none free it evicts a batch.
            var needsNode = !(_lru && IsPerCpu && flags == (ulong)MapUpdateFlags.Exist);
            if (_lru && needsNode && _count >= MaxEntries) evicted = EvictBatch();

            old = Find(key, hash);
            result = CheckFlags(old, flags);
            if (result == Errno.None)
            {
                if (old is not null && (flags & (ulong)MapUpdateFlags.Lock) != 0)
                {
                    Layout.CopyInLocked((byte*)old.Block, value);
                    old = null;
                }
                else if (old is not null && IsPerCpu)
                {
                    if (_lru) Volatile.Write(ref old.Referenced, 1);
                    CopyPerCpuValue(old, value, onAllCpus);
                    old = null;
                }
                else if (old is null && _count >= MaxEntries)
                {
                    result = Errno.E2BIG;
                }
                else
                {
                    var node = NewNode(key, hash, value, onAllCpus);
                    InsertHead(node);
                    if (old is not null)
                    {
                        Unlink(old);
                        if (TryReturnQuietly(old)) old = null;
                        if (_lru) Volatile.Write(ref node.Referenced, 1);
                    }
                    else _count++;
                }
            }
            else old = null;
        }

        if (evicted is not null) Release(evicted, ElementReleaseReason.Evicted);
        if (old is not null) Release(old, ElementReleaseReason.Replaced);
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private HashNode NewNode(ReadOnlySpan<byte> key, uint hash, ReadOnlySpan<byte> value, bool onAllCpus)
    {
        HashNode node;
        if (_pool is not null && _pool.TryTake(out node))
        {
            key.CopyTo(node.Key);
            node.Hash = hash;
            node.KeyHead = KeyHead(key);
            node.Referenced = 0;
        }
        else
        {
            var keyArea = (int)MapCreateValidator.Round8((uint)KeySize);
            var fresh = ValueLayout.AllocateZeroed((nuint)(_valueArea + keyArea));
            node = new HashNode(key.ToArray(), hash, (nint)fresh, (nint)(fresh + _valueArea)) { KeyHead = KeyHead(key) };
        }
        var block = (byte*)node.Block;
        key.CopyTo(new Span<byte>(block + _valueArea, KeySize));
        if (IsPerCpu) CopyPerCpuValue(node, value, onAllCpus);
        else Layout.CopyIn(block, value);
        return node;
    }

    private void CopyPerCpuValue(HashNode node, ReadOnlySpan<byte> value, bool onAllCpus)
    {
        if (onAllCpus)
        {
            for (var cpu = 0; cpu < _copies; cpu++)
                Layout.CopyIn((byte*)ValueSlot(node, cpu), value.Slice(cpu * PerCpuStride, ValueSize));
            return;
        }
        // a new element's other CPUs stay zero (the block is allocated zeroed), as pcpu_init_value does
        Layout.CopyIn((byte*)ValueSlot(node, CurrentCpu), value);
    }

    // ---- delete ----

    public override Errno Delete(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        CheckKey(key);
        return DeleteCore(key[..KeySize]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override long DeleteElem(nint key) => DeleteCore(new ReadOnlySpan<byte>((void*)key, KeySize)).ToHelperResult();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Errno DeleteCore(ReadOnlySpan<byte> key)
    {
        var hash = HashKey(key);
        HashNode? node;
        lock (_writeLock)
        {
            node = Find(key, hash);
            if (node is null) return Errno.ENOENT;
            Unlink(node);
            _count--;
            if (TryReturnQuietly(node)) return Errno.None;
        }
        Release(node, ElementReleaseReason.Deleted);
        return Errno.None;
    }

    public override Errno LookupAndDelete(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckKey(key);
        CheckHostValue(value.Length, nameof(value));
        if ((flags & ~MapUpdateFlags.Lock) != 0) return Errno.EINVAL;
        if ((flags & MapUpdateFlags.Lock) != 0 && !Layout.HasSpinLock) return Errno.EINVAL;
        key = key[..KeySize];
        var hash = HashKey(key);
        HashNode? node;
        lock (_writeLock)
        {
            node = Find(key, hash);
            if (node is null) return Errno.ENOENT;
            CopyOut(node, value, (flags & MapUpdateFlags.Lock) != 0);
            Unlink(node);
            _count--;
        }
        Release(node, ElementReleaseReason.Deleted);
        return Errno.None;
    }

    // ---- structure (callers hold _writeLock) ----

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void InsertHead(HashNode node)
    {
        var bucket = node.Hash & _bucketMask;
        ref var head = ref _buckets[bucket];
        // Bucket before Next: a reader that sees the new Next also sees the new bucket (see Find).
        Volatile.Write(ref node.Bucket, bucket);
        Volatile.Write(ref node.Next, head);
        Volatile.Write(ref head, node);
        if (_lru) LruPushNewest(node);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Unlink(HashNode node)
    {
        ref var slot = ref _buckets[node.Hash & _bucketMask];
        if (ReferenceEquals(slot, node)) Volatile.Write(ref slot, node.Next);
        else
        {
            var previous = slot;
            while (previous is not null && !ReferenceEquals(previous.Next, node)) previous = previous.Next;
            if (previous is not null) Volatile.Write(ref previous.Next, node.Next);
        }
        if (_lru) LruRemove(node);
    }

    private void LruPushNewest(HashNode node)
    {
        node.LruOlder = _lruNewest;
        node.LruNewer = null;
        if (_lruNewest is not null) _lruNewest.LruNewer = node;
        _lruNewest = node;
        _lruOldest ??= node;
    }

    private void LruRemove(HashNode node)
    {
        if (node.LruNewer is not null) node.LruNewer.LruOlder = node.LruOlder;
        else _lruNewest = node.LruOlder;
        if (node.LruOlder is not null) node.LruOlder.LruNewer = node.LruNewer;
        else _lruOldest = node.LruNewer;
        node.LruNewer = node.LruOlder = null;
    }

    /// <summary>Second-chance scan from the oldest element: referenced ones get their bit cleared and move to the newest end.</summary>
    private List<HashNode> EvictBatch()
    {
        var victims = new List<HashNode>(_evictionBatch);
        var budget = _count;
        while (victims.Count < _evictionBatch && budget-- > 0 && _lruOldest is not null)
        {
            var candidate = _lruOldest;
            if (Interlocked.Exchange(ref candidate.Referenced, 0) != 0)
            {
                LruRemove(candidate);
                LruPushNewest(candidate);
                continue;
            }
            victims.Add(candidate);
            Unlink(candidate);
            _count--;
        }
        if (victims.Count == 0 && _lruOldest is not null)
        {
            var forced = _lruOldest;
            victims.Add(forced);
            Unlink(forced);
            _count--;
        }
        return victims;
    }

    // ---- release ----

    private void Release(List<HashNode> nodes, ElementReleaseReason reason)
    {
        foreach (var node in nodes) Release(node, reason);
    }

    private void Release(HashNode node, ElementReleaseReason reason)
    {
        OnNodeReleasing(node, reason);
        if (!node.Pooled)
        {
            Epochs.Retire(node.Block);
            return;
        }

        lock (_writeLock) _pool!.Return(node);
    }

    /// <summary>
    /// Under the write lock, right after the unlink: a preallocated node nobody must hear about goes back to the pool
    /// at once (true), without the second lock <see cref="Release(HashNode, ElementReleaseReason)"/> takes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryReturnQuietly(HashNode node)
    {
        if (!node.Pooled || ObservesRelease) return false;
        _pool!.Return(node);
        return true;
    }

    /// <summary>True when <see cref="OnNodeReleasing"/> does something: then a node is reused only after it ran.</summary>
    private protected virtual bool ObservesRelease => !IsPerCpu && ElementObserver is not null;

    /// <summary>Before an unlinked element's memory is retired; the observer hears about it unless the map is per-CPU.</summary>
    private protected virtual void OnNodeReleasing(HashNode node, ElementReleaseReason reason)
    {
        if (!IsPerCpu) NotifyReleasing(node.Block, node.KeyAddress, reason);
    }

    protected override void FreeMemory()
    {
        lock (_writeLock)
        {
            for (var i = 0; i < _buckets.Length; i++)
            {
                for (var node = _buckets[i]; node is not null; node = node.Next)
                {
                    if (!node.Pooled) Epochs.Retire(node.Block);
                }
                Volatile.Write(ref _buckets[i], null);
            }
            _count = 0;
            _lruNewest = _lruOldest = null;
            if (_pool is not null) Epochs.Retire(_pool.Start);
        }
    }

    /// <summary>The key's first 8 bytes (fewer, zero-extended, for a shorter key): <see cref="HashNode.KeyHead"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong KeyHead(ReadOnlySpan<byte> key)
    {
        if (key.Length >= sizeof(ulong)) return BinaryPrimitives.ReadUInt64LittleEndian(key);
        if (key.Length == sizeof(uint)) return BinaryPrimitives.ReadUInt32LittleEndian(key);
        ulong head = 0;
        for (var i = 0; i < key.Length; i++) head |= (ulong)key[i] << (8 * i);
        return head;
    }

    /// <summary>A fixed (unseeded) 32-bit hash of the key bytes: iteration order is the same in every process.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static uint HashKey(ReadOnlySpan<byte> key)
    {
        var hash = 0x9E3779B97F4A7C15UL ^ (ulong)key.Length;
        while (key.Length >= 8)
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(key)) * 0xFF51AFD7ED558CCDUL;
            hash ^= hash >> 29;
            key = key[8..];
        }
        ulong tail = 0;
        for (var i = 0; i < key.Length; i++) tail |= (ulong)key[i] << (8 * i);
        hash = (hash ^ tail ^ ((ulong)key.Length << 59)) * 0xC4CEB9FE1A85EC53UL;
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 31;
        return (uint)hash ^ (uint)(hash >> 32);
    }
}

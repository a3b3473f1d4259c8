using System.Buffers.Binary;

namespace SharpBpf.Maps;

/// <summary>
/// LPM_TRIE (kernel/bpf/lpm_trie.c): keys are <c>{ u32 prefixlen; u8 data[key_size - 4]; }</c> with the data in
/// network (big-endian bit) order; lookup returns the entry with the longest prefix that matches the key's first
/// <c>prefixlen</c> bits. Only the first <c>prefixlen</c> bits identify an entry, but the key is stored as given
/// (the kernel copies all data bytes, and get_next_key returns them). Errno as in Linux: prefixlen above
/// <c>8 * data size</c> is -EINVAL for update and delete, update flags above BPF_EXIST -EINVAL, BPF_NOEXIST on an
/// entry -EEXIST, BPF_EXIST on none -ENOENT, a full trie -ENOSPC, deleting a missing prefix -ENOENT.
/// get_next_key walks the kernel's trie in postorder: where two prefixes first differ the 0 bit comes first, and a
/// prefix comes after every longer prefix inside it; an unknown key restarts at the first entry.
/// <para>Not a trie: entries sit in one dictionary per prefix length (keyed by the masked prefix) and in a list kept
/// in get_next_key order, so a lookup costs one probe per prefix length present. One lock guards everything;
/// a value replaced or deleted stays readable until runs in flight end (the epoch manager frees it).</para>
/// </summary>
internal sealed unsafe class LpmTrieMap : BpfMap
{
    private readonly int _dataSize;
    private readonly uint _maxPrefixLength;
    private readonly Lock _lock = new();
    private readonly Dictionary<byte[], Entry> _byPrefix = new(PrefixComparer.Instance);
    private readonly Dictionary<byte[], Entry>.AlternateLookup<ReadOnlySpan<byte>> _byPrefixSpan;
    private readonly List<Entry> _ordered = [];
    /// <summary>How many entries have each prefix length; lookups only probe lengths present.</summary>
    private readonly int[] _lengthCounts;

    internal LpmTrieMap(MapDefinition definition, MapCreateOptions options) : base(definition, options)
    {
        _dataSize = KeySize - (int)MapCreateValidator.LpmPrefixLengthSize;
        _maxPrefixLength = (uint)_dataSize * 8;
        _lengthCounts = new int[_maxPrefixLength + 1];
        _byPrefixSpan = _byPrefix.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    private sealed class Entry(byte[] key, byte[] canonical, nint value)
    {
        public byte[] Key { get; set; } = key;
        public byte[] Canonical { get; } = canonical;
        public nint Value { get; set; } = value;
        public uint PrefixLength => BinaryPrimitives.ReadUInt32LittleEndian(Canonical);
    }

    public override int Count
    {
        get
        {
            lock (_lock) return _ordered.Count;
        }
    }

    /// <summary>The longest prefix length an entry can have: 8 bits per data byte.</summary>
    public uint MaxPrefixLength => _maxPrefixLength;

    // ---- host API ----

    public override Errno Lookup(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckKey(key);
        CheckHostValue(value.Length, nameof(value));
        if (flags != MapUpdateFlags.Any) return Errno.EINVAL;
        lock (_lock)
        {
            var entry = LongestMatch(key[..KeySize]);
            if (entry is null) return Errno.ENOENT;
            new ReadOnlySpan<byte>((void*)entry.Value, ValueSize).CopyTo(value);
            return Errno.None;
        }
    }

    public override Errno Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckKey(key);
        CheckHostValue(value.Length, nameof(value));
        return UpdateCore(key[..KeySize], value[..ValueSize], (ulong)flags);
    }

    public override Errno Delete(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        CheckKey(key);
        return DeleteCore(key[..KeySize]);
    }

    public override Errno GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        ThrowIfDisposed();
        if (nextKey.Length < KeySize) ThrowHelper.BufferTooSmall(nameof(nextKey), KeySize, nextKey.Length);
        lock (_lock)
        {
            if (_ordered.Count == 0) return Errno.ENOENT;
            var next = 0;
            if (key.Length >= KeySize && PrefixLengthOf(key) <= _maxPrefixLength)
            {
                Span<byte> canonical = stackalloc byte[KeySize];
                Canonicalize(key, PrefixLengthOf(key), canonical);
                if (_byPrefixSpan.TryGetValue(canonical, out var current))
                {
                    next = _ordered.BinarySearch(current, TrieOrder.Instance) + 1;
                    if (next >= _ordered.Count) return Errno.ENOENT;
                }
            }
            _ordered[next].Key.CopyTo(nextKey);
            return Errno.None;
        }
    }

    // ---- program API ----

    internal override nint LookupElem(nint key)
    {
        lock (_lock) return LongestMatch(new ReadOnlySpan<byte>((void*)key, KeySize))?.Value ?? 0;
    }

    internal override long UpdateElem(nint key, nint value, ulong flags) =>
        UpdateCore(new ReadOnlySpan<byte>((void*)key, KeySize), new ReadOnlySpan<byte>((void*)value, ValueSize), flags).ToHelperResult();

    internal override long DeleteElem(nint key) => DeleteCore(new ReadOnlySpan<byte>((void*)key, KeySize)).ToHelperResult();

    // ---- the trie's rules ----

    private static uint PrefixLengthOf(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadUInt32LittleEndian(key);

    /// <summary>The identity of a prefix: its length, then its data with every bit past the length cleared.</summary>
    private void Canonicalize(ReadOnlySpan<byte> key, uint prefixLength, Span<byte> canonical)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(canonical, prefixLength);
        var data = canonical[4..KeySize];
        key.Slice(4, _dataSize).CopyTo(data);
        var fullBytes = (int)(prefixLength / 8);
        var remainingBits = (int)(prefixLength % 8);
        if (fullBytes < _dataSize)
        {
            data[fullBytes] &= (byte)(0xFF << (8 - remainingBits));
            data[(fullBytes + 1)..].Clear();
        }
    }

    private Entry? LongestMatch(ReadOnlySpan<byte> key)
    {
        if (_ordered.Count == 0) return null;
        var longest = Math.Min(PrefixLengthOf(key), _maxPrefixLength);
        Span<byte> canonical = stackalloc byte[KeySize];
        for (var length = (int)longest; length >= 0; length--)
        {
            if (_lengthCounts[length] == 0) continue;
            Canonicalize(key, (uint)length, canonical);
            if (_byPrefixSpan.TryGetValue(canonical, out var entry)) return entry;
        }
        return null;
    }

    private Errno UpdateCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags)
    {
        if (flags > (ulong)MapUpdateFlags.Exist) return Errno.EINVAL;
        var prefixLength = PrefixLengthOf(key);
        if (prefixLength > _maxPrefixLength) return Errno.EINVAL;
        Span<byte> canonical = stackalloc byte[KeySize];
        Canonicalize(key, prefixLength, canonical);
        lock (_lock)
        {
            var exists = _byPrefixSpan.TryGetValue(canonical, out var entry);
            if (exists && flags == (ulong)MapUpdateFlags.NoExist) return Errno.EEXIST;
            if (!exists && flags == (ulong)MapUpdateFlags.Exist) return Errno.ENOENT;
            if (!exists && _ordered.Count >= MaxEntries) return Errno.ENOSPC;
            // Like the kernel's new node on every update: a value pointer a run already holds keeps its old bytes.
            var memory = (nint)ValueLayout.AllocateZeroed((nuint)ValueSize);
            value.CopyTo(new Span<byte>((void*)memory, ValueSize));
            if (exists)
            {
                Epochs.Retire(entry!.Value);
                entry.Value = memory;
                entry.Key = key.ToArray();
                return Errno.None;
            }
            entry = new Entry(key.ToArray(), canonical.ToArray(), memory);
            _byPrefix.Add(entry.Canonical, entry);
            var index = _ordered.BinarySearch(entry, TrieOrder.Instance);
            _ordered.Insert(~index, entry);
            _lengthCounts[prefixLength]++;
            return Errno.None;
        }
    }

    private Errno DeleteCore(ReadOnlySpan<byte> key)
    {
        var prefixLength = PrefixLengthOf(key);
        if (prefixLength > _maxPrefixLength) return Errno.EINVAL;
        Span<byte> canonical = stackalloc byte[KeySize];
        Canonicalize(key, prefixLength, canonical);
        lock (_lock)
        {
            if (!_byPrefixSpan.TryGetValue(canonical, out var entry)) return Errno.ENOENT;
            _byPrefix.Remove(entry.Canonical);
            _ordered.RemoveAt(_ordered.BinarySearch(entry, TrieOrder.Instance));
            _lengthCounts[prefixLength]--;
            Epochs.Retire(entry.Value);
            return Errno.None;
        }
    }

    protected override void FreeMemory()
    {
        lock (_lock)
        {
            foreach (var entry in _ordered) Epochs.Retire(entry.Value);
            _ordered.Clear();
            _byPrefix.Clear();
        }
    }

    /// <summary>The trie's postorder on canonical prefixes (see the class summary).</summary>
    private sealed class TrieOrder : IComparer<Entry>
    {
        public static readonly TrieOrder Instance = new();

        public int Compare(Entry? x, Entry? y)
        {
            var left = x!.Canonical;
            var right = y!.Canonical;
            var leftLength = x.PrefixLength;
            var rightLength = y.PrefixLength;
            var common = Math.Min(leftLength, rightLength);
            for (var bit = 0; bit < common; bit++)
            {
                var leftBit = (left[4 + bit / 8] >> (7 - bit % 8)) & 1;
                var rightBit = (right[4 + bit / 8] >> (7 - bit % 8)) & 1;
                if (leftBit != rightBit) return leftBit - rightBit;
            }
            // One prefix contains the other: the longer (the descendant) comes first.
            return rightLength.CompareTo(leftLength);
        }
    }

    private sealed class PrefixComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly PrefixComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);
        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}

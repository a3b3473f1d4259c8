using System.Buffers.Binary;

namespace SharpBpf.Maps;

/// <summary>
/// HASH_OF_MAPS: a hash from keys to inner maps matching the template, with HASH semantics for flags, full map
/// and iteration (it is a HASH whose 4-byte values are inner map ids). Programs get the inner map's
/// <see cref="BpfMap.Handle"/>; host lookups return the id. Inner maps stay alive while stored.
/// </summary>
internal sealed unsafe class HashOfMapsMap : BpfMap
{
    private readonly HashMap _slots;
    private readonly InnerMapReferences _held = new();
    private readonly Lock _lock = new();

    internal HashOfMapsMap(MapDefinition definition, MapCreateOptions options) : base(definition, options)
    {
        _slots = new HashMap(definition with { Type = MapType.Hash, InnerMap = null, Name = definition.Name + ".slots" }, options);
    }

    public MapDefinition InnerTemplate => Definition.InnerMap!;

    public override int Count => _slots.Count;

    public Errno SetInnerMap(ReadOnlySpan<byte> key, BpfMap inner, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ThrowIfDisposed();
        CheckKey(key);
        if (inner.IsDisposed) return Errno.EBADF;
        if (!InnerMapCompatibility.Matches(InnerTemplate, inner)) return Errno.EINVAL;
        Span<byte> id = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(id, inner.Id);
        lock (_lock)
        {
            Span<byte> oldId = stackalloc byte[4];
            var hadOld = _slots.Lookup(key, oldId) == Errno.None;
            var result = _slots.UpdateCore(key[..KeySize], id, (ulong)flags, onAllCpus: true);
            if (result != Errno.None) return result;
            _held.Add(inner);
            if (hadOld) _held.Remove(BinaryPrimitives.ReadUInt32LittleEndian(oldId));
            return Errno.None;
        }
    }

    public BpfMap? GetInnerMap(ReadOnlySpan<byte> key)
    {
        Span<byte> id = stackalloc byte[4];
        return _slots.Lookup(key, id) == Errno.None ? FromId(BinaryPrimitives.ReadUInt32LittleEndian(id)) : null;
    }

    public override Errno Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckKey(key);
        CheckHostValue(value.Length, nameof(value));
        if ((flags & MapUpdateFlags.Lock) != 0) return Errno.EINVAL;
        var inner = FromId(BinaryPrimitives.ReadUInt32LittleEndian(value));
        return inner is null ? Errno.EBADF : SetInnerMap(key, inner, flags);
    }

    public override Errno Lookup(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckHostValue(value.Length, nameof(value));
        return _slots.Lookup(key, value, flags);
    }

    public override Errno Delete(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        CheckKey(key);
        lock (_lock)
        {
            Span<byte> oldId = stackalloc byte[4];
            var result = _slots.LookupAndDelete(key, oldId);
            if (result == Errno.None) _held.Remove(BinaryPrimitives.ReadUInt32LittleEndian(oldId));
            return result;
        }
    }

    internal override long DeleteElem(nint key) => Delete(new ReadOnlySpan<byte>((void*)key, KeySize)).ToHelperResult();

    public override Errno GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey) => _slots.GetNextKey(key, nextKey);

    internal override nint LookupElem(nint key)
    {
        var slot = _slots.LookupElem(key);
        return slot == 0 ? 0 : FromId(*(uint*)slot)?.Handle ?? 0;
    }

    protected override void FreeMemory()
    {
        _slots.Dispose();
        lock (_lock) _held.Clear();
    }
}

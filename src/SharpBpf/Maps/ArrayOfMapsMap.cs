using System.Buffers.Binary;

namespace SharpBpf.Maps;

/// <summary>
/// ARRAY_OF_MAPS: slots holding inner maps that match the template (<see cref="MapDefinition.InnerMap"/>). The
/// host form stores map ids (the kernel takes fds on update and returns ids on lookup); programs get the inner
/// map's <see cref="BpfMap.Handle"/>. Inner maps stay alive while stored; disposing the outer map does not
/// dispose them.
/// </summary>
internal sealed unsafe class ArrayOfMapsMap : BpfMap
{
    private readonly BpfMap?[] _inner;

    internal ArrayOfMapsMap(MapDefinition definition, MapCreateOptions options) : base(definition, options)
    {
        _inner = new BpfMap?[definition.MaxEntries];
    }

    public MapDefinition InnerTemplate => Definition.InnerMap!;

    public override int Count
    {
        get
        {
            var count = 0;
            for (var i = 0; i < _inner.Length; i++) if (Volatile.Read(ref _inner[i]) is not null) count++;
            return count;
        }
    }

    /// <summary>Stores <paramref name="inner"/> at <paramref name="index"/> (BPF_ANY): -E2BIG out of range, -EINVAL when it does not match the template.</summary>
    public Errno SetInnerMap(uint index, BpfMap inner, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ThrowIfDisposed();
        if (flags != MapUpdateFlags.Any) return Errno.EINVAL;
        if (index >= (uint)MaxEntries) return Errno.E2BIG;
        if (inner.IsDisposed) return Errno.EBADF;
        if (!InnerMapCompatibility.Matches(InnerTemplate, inner)) return Errno.EINVAL;
        Volatile.Write(ref _inner[index], inner);
        return Errno.None;
    }

    public BpfMap? GetInnerMap(uint index)
    {
        if (index >= (uint)_inner.Length) return null;
        var map = Volatile.Read(ref _inner[index]);
        return map is { IsDisposed: false } ? map : null;
    }

    public override Errno Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckKey(key);
        CheckHostValue(value.Length, nameof(value));
        if (flags != MapUpdateFlags.Any) return Errno.EINVAL;
        var index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= (uint)MaxEntries) return Errno.E2BIG;
        var inner = FromId(BinaryPrimitives.ReadUInt32LittleEndian(value));
        return inner is null ? Errno.EBADF : SetInnerMap(index, inner);
    }

    public override Errno Lookup(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckKey(key);
        CheckHostValue(value.Length, nameof(value));
        if (flags != MapUpdateFlags.Any) return Errno.EINVAL;
        var inner = GetInnerMap(BinaryPrimitives.ReadUInt32LittleEndian(key));
        if (inner is null) return Errno.ENOENT;
        BinaryPrimitives.WriteUInt32LittleEndian(value, inner.Id);
        return Errno.None;
    }

    public override Errno Delete(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        CheckKey(key);
        return DeleteCore(BinaryPrimitives.ReadUInt32LittleEndian(key));
    }

    internal override long DeleteElem(nint key) => DeleteCore(*(uint*)key).ToHelperResult();

    private Errno DeleteCore(uint index)
    {
        if (index >= (uint)MaxEntries) return Errno.E2BIG;
        return Interlocked.Exchange(ref _inner[index], null) is null ? Errno.ENOENT : Errno.None;
    }

    public override Errno GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey) => ArrayKeys.GetNext(this, key, nextKey);

    /// <summary>The inner map's handle, or 0.</summary>
    internal override nint LookupElem(nint key) => GetInnerMap(*(uint*)key)?.Handle ?? 0;

    protected override void FreeMemory() => Array.Clear(_inner);
}

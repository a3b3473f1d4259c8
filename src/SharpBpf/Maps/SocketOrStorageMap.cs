using System.Buffers.Binary;

namespace SharpBpf.Maps;

/// <summary>
/// SOCKMAP, SOCKHASH, CGROUP_STORAGE, PERCPU_CGROUP_STORAGE and SK_STORAGE: maps whose entries are sockets or
/// belong to cgroups and sockets, none of which exist in SharpBpf. They are created with the kernel's checks (so an
/// object declaring them loads, and programs that only reference them run) and stay empty. Host answers are the
/// ones Linux 6.18 gives for an empty map of the type (measured): sockmap lookup -ENOSPC with 4-byte values (a
/// socket cookie needs 8) else -ENOENT, delete -EINVAL, get_next_key walks indexes; sockhash lookup -ENOSPC/-ENOENT,
/// delete and get_next_key -ENOENT; cgroup storage lookup, update and get_next_key -ENOENT, delete -EINVAL;
/// sk_storage (keys are socket fds) -EBADF, get_next_key -ENOTSUPP. Updates that would need a socket are -EBADF: SharpBpf has no fds.
/// </summary>
internal sealed class SocketOrStorageMap : BpfMap
{
    internal SocketOrStorageMap(MapDefinition definition, MapCreateOptions options) : base(definition, options)
    {
    }

    public override int Count => 0;

    public override Errno Lookup(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any) => Type switch
    {
        MapType.Sockmap or MapType.Sockhash => ValueSize < 8 ? Errno.ENOSPC : Errno.ENOENT,
        MapType.SkStorage => Errno.EBADF,
        _ => Errno.ENOENT,
    };

    public override Errno Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any) => Type switch
    {
        MapType.CgroupStorage or MapType.PercpuCgroupStorage => Errno.ENOENT,
        _ => Errno.EBADF,
    };

    public override Errno Delete(ReadOnlySpan<byte> key) => Type switch
    {
        MapType.Sockhash => Errno.ENOENT,
        MapType.SkStorage => Errno.EBADF,
        _ => Errno.EINVAL,
    };

    public override Errno GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        ThrowIfDisposed();
        if (Type != MapType.Sockmap) return Type == MapType.SkStorage ? Errno.ENOTSUPP : Errno.ENOENT;
        if (nextKey.Length < KeySize) ThrowHelper.BufferTooSmall(nameof(nextKey), KeySize, nextKey.Length);
        var index = key.Length >= KeySize ? BinaryPrimitives.ReadUInt32LittleEndian(key) : uint.MaxValue;
        uint next;
        if (index >= (uint)MaxEntries) next = 0;
        else if (index == (uint)MaxEntries - 1) return Errno.ENOENT;
        else next = index + 1;
        BinaryPrimitives.WriteUInt32LittleEndian(nextKey, next);
        return Errno.None;
    }

    protected override void FreeMemory()
    {
    }
}

using System.Buffers.Binary;

namespace SharpBpf.Maps;

/// <summary>
/// PROG_ARRAY: slots holding programs (opaque objects owned by the Runtime) for <c>bpf_tail_call</c>. The host
/// form stores program ids (the kernel takes fds): set <see cref="ProgramResolver"/>/<see cref="ProgramIdOf"/>
/// to translate, or use <see cref="SetProgram"/>/<see cref="GetProgram"/> directly.
/// Does not: run anything or count tail calls (the engines do).
/// </summary>
internal sealed class ProgramArrayMap : BpfMap
{
    private readonly object?[] _programs;

    // Per slot, what an engine last resolved the slot's object to (ResolvedTailCall), so a tail call reads one
    // reference and compares it instead of resolving again; replaced only when the slot changes.
    private readonly object?[] _resolved;

    internal ProgramArrayMap(MapDefinition definition, MapCreateOptions options) : base(definition, options)
    {
        _programs = new object?[definition.MaxEntries];
        _resolved = new object?[definition.MaxEntries];
    }

    /// <summary>The engine's cached resolution of slot <paramref name="index"/> (opaque here), or null; the index is in range.</summary>
    internal object? ResolvedAt(uint index) => Volatile.Read(ref _resolved[index]);

    /// <summary>Caches an engine's resolution of slot <paramref name="index"/>; the index is in range.</summary>
    internal void CacheResolved(uint index, object resolved) => Volatile.Write(ref _resolved[index], resolved);

    /// <summary>Turns a host-supplied program id into the program object (null: unknown id, -EBADF).</summary>
    public Func<uint, object?>? ProgramResolver { get; set; }

    /// <summary>Turns a program object into the id a host lookup returns.</summary>
    public Func<object, uint>? ProgramIdOf { get; set; }

    public override int Count
    {
        get
        {
            var count = 0;
            for (var i = 0; i < _programs.Length; i++) if (Volatile.Read(ref _programs[i]) is not null) count++;
            return count;
        }
    }

    /// <summary>Host update with a program object (BPF_ANY semantics): -E2BIG out of range.</summary>
    public Errno SetProgram(uint index, object program)
    {
        ArgumentNullException.ThrowIfNull(program);
        ThrowIfDisposed();
        if (index >= (uint)MaxEntries) return Errno.E2BIG;
        Volatile.Write(ref _programs[index], program);
        return Errno.None;
    }

    public object? GetProgram(uint index) => index < (uint)_programs.Length ? Volatile.Read(ref _programs[index]) : null;

    /// <summary>What <c>bpf_tail_call</c> jumps to: null when the slot is empty or out of range (the call falls through).</summary>
    public object? GetTailCallTarget(uint index) => GetProgram(index);

    public override Errno Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckKey(key);
        CheckHostValue(value.Length, nameof(value));
        if (flags != MapUpdateFlags.Any) return Errno.EINVAL;
        var index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= (uint)MaxEntries) return Errno.E2BIG;
        var program = ProgramResolver?.Invoke(BinaryPrimitives.ReadUInt32LittleEndian(value));
        if (program is null) return Errno.EBADF;
        Volatile.Write(ref _programs[index], program);
        return Errno.None;
    }

    public override Errno Lookup(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ThrowIfDisposed();
        CheckKey(key);
        CheckHostValue(value.Length, nameof(value));
        if (flags != MapUpdateFlags.Any) return Errno.EINVAL;
        var program = GetProgram(BinaryPrimitives.ReadUInt32LittleEndian(key));
        if (program is null) return Errno.ENOENT;
        BinaryPrimitives.WriteUInt32LittleEndian(value, ProgramIdOf?.Invoke(program) ?? 0);
        return Errno.None;
    }

    public override Errno Delete(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        CheckKey(key);
        var index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= (uint)MaxEntries) return Errno.E2BIG;
        return Interlocked.Exchange(ref _programs[index], null) is null ? Errno.ENOENT : Errno.None;
    }

    public override Errno GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey) => ArrayKeys.GetNext(this, key, nextKey);

    protected override void FreeMemory()
    {
        Array.Clear(_programs);
        Array.Clear(_resolved);
    }
}

/// <summary>get_next_key of every array-shaped map: NULL or out of range → 0, last → -ENOENT.</summary>
internal static class ArrayKeys
{
    public static Errno GetNext(BpfMap map, ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        if (nextKey.Length < 4) ThrowHelper.BufferTooSmall(nameof(nextKey), 4, nextKey.Length);
        uint next = 0;
        if (key.Length >= 4)
        {
            var index = BinaryPrimitives.ReadUInt32LittleEndian(key);
            if (index == (uint)map.MaxEntries - 1) return Errno.ENOENT;
            if (index < (uint)map.MaxEntries) next = index + 1;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(nextKey, next);
        return Errno.None;
    }
}

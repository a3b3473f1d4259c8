using SharpBpf.Maps;
using SharpBpf.Kernel.Internal;

namespace SharpBpf.Kernel;

/// <summary>
/// A map of a <see cref="KernelObject"/>, accessed from user space through the bpf(2) map commands, so every
/// answer is the kernel's: element operations return 0 or <c>-errno</c> exactly as BPF_MAP_*_ELEM do, and
/// special fields (bpf_timer, bpf_spin_lock) read as zero.
/// <para>Per-CPU maps (PERCPU_ARRAY, PERCPU_HASH, LRU_PERCPU_HASH, PERCPU_CGROUP_STORAGE) hold one value per
/// <em>possible</em> CPU (<see cref="PossibleCpus"/>); the kernel lays them out in 8-byte strides, which this
/// class hides: per-CPU values come and go as <see cref="ValueSize"/>-byte arrays.</para>
/// <para>After <see cref="KernelObject.ReleaseMaps"/> the object holds no fd of this map. Each operation then
/// opens the map by id (BPF_MAP_GET_FD_BY_ID) and closes it when done. That fd is a user reference again
/// (the kernel's <c>bpf_map_get_fd_by_id</c> calls <c>__bpf_map_inc_not_zero(map, true)</c>, uref = true, on
/// Linux 6.18 as on every version since 4.13), so for the duration of one call the map has a user again;
/// closing it drops the count back to zero, which makes the kernel free every timer in the map once more
/// (<c>map_release_uref</c>). Nothing can arm a timer in between unless a program runs concurrently on
/// another thread, and after the call the map is exactly as released as before. A map that no loaded program
/// uses is freed by the release itself; operations on it then fail with ENOENT.</para>
/// This class does not type keys or values, does not parse BTF, and does not support batch operations.
/// </summary>
internal sealed unsafe class KernelMap
{
    private const int MapTypePercpuHash = 5;
    private const int MapTypePercpuArray = 6;
    private const int MapTypeLruPercpuHash = 10;
    private const int MapTypePercpuCgroupStorage = 21;

    private readonly KernelObject _owner;

    internal KernelMap(KernelObject owner, string name, int mapType, string typeName, int keySize, int valueSize,
        uint maxEntries, uint flags, uint id, int libBpfFd, int possibleCpus)
    {
        _owner = owner;
        Name = name;
        MapType = mapType;
        TypeName = typeName;
        KeySize = keySize;
        ValueSize = valueSize;
        MaxEntries = maxEntries;
        Flags = flags;
        Id = id;
        LibBpfFd = libBpfFd;
        IsPerCpu = mapType is MapTypePercpuHash or MapTypePercpuArray or MapTypeLruPercpuHash or MapTypePercpuCgroupStorage;
        PossibleCpus = IsPerCpu ? possibleCpus : 1;
    }

    /// <summary>The name libbpf gives the map (global data: <c>&lt;first 8 chars of the object name&gt;.bss</c>).</summary>
    public string Name { get; }

    /// <summary>The kernel's <c>enum bpf_map_type</c> value.</summary>
    public int MapType { get; }

    /// <summary>The kernel's type name in lowercase without the prefix: "array", "percpu_hash", "lru_hash".</summary>
    public string TypeName { get; }

    public int KeySize { get; }

    public int ValueSize { get; }

    public uint MaxEntries { get; }

    public uint Flags { get; }

    /// <summary>The kernel's id of the map (what <c>bpftool map show</c> lists).</summary>
    public uint Id { get; }

    public bool IsPerCpu { get; }

    /// <summary>Values per element: the number of possible CPUs for per-CPU maps, else 1.</summary>
    public int PossibleCpus { get; }

    /// <summary>Bytes of one raw element value as the syscall moves it: <see cref="ValueSize"/>, or for
    /// per-CPU maps <see cref="ValueSize"/> rounded up to 8, times <see cref="PossibleCpus"/>.</summary>
    public int RawValueSize => IsPerCpu ? PerCpuStride * PossibleCpus : ValueSize;

    private int PerCpuStride => (ValueSize + 7) & ~7;

    internal int LibBpfFd { get; }

    /// <summary>The raw lookup: fills <paramref name="rawValue"/> (at least <see cref="RawValueSize"/> bytes)
    /// and returns 0, or returns <c>-errno</c> (-ENOENT for a missing key).</summary>
    public int Lookup(ReadOnlySpan<byte> key, Span<byte> rawValue)
    {
        CheckKey(key);
        if (rawValue.Length < RawValueSize)
            throw new ArgumentException($"map '{Name}' values need {RawValueSize} bytes", nameof(rawValue));
        using var lease = _owner.LeaseMapFd(this);
        fixed (byte* keyPointer = key)
        fixed (byte* valuePointer = rawValue)
            return LibBpf.MapLookupElement(lease.Fd, KeySize == 0 ? null : keyPointer, valuePointer);
    }

    /// <summary>The value for <paramref name="key"/>, or null when there is none. Not for per-CPU maps.</summary>
    public byte[]? Lookup(ReadOnlySpan<byte> key)
    {
        if (IsPerCpu)
            throw new InvalidOperationException($"map '{Name}' is per-CPU: use LookupPerCpu");
        byte[] value = new byte[ValueSize];
        int result = Lookup(key, value);
        return result == 0 ? value : ErrnoText.Of(result) == Errno.ENOENT ? null : throw Failure("BPF_MAP_LOOKUP_ELEM", result);
    }

    /// <summary>One value per possible CPU for <paramref name="key"/>, or null when there is none.</summary>
    public byte[][]? LookupPerCpu(ReadOnlySpan<byte> key)
    {
        if (!IsPerCpu)
            throw new InvalidOperationException($"map '{Name}' is not per-CPU: use Lookup");
        byte[] raw = new byte[RawValueSize];
        int result = Lookup(key, raw);
        if (ErrnoText.Of(result) == Errno.ENOENT) return null;
        if (result != 0) throw Failure("BPF_MAP_LOOKUP_ELEM", result);
        return SplitPerCpu(raw);
    }

    /// <summary>
    /// Writes an element and returns 0 or <c>-errno</c>. For ordinary maps <paramref name="value"/> is
    /// <see cref="ValueSize"/> bytes. For per-CPU maps it is either <see cref="ValueSize"/> bytes (stored on
    /// every CPU) or <see cref="ValueSize"/> × <see cref="PossibleCpus"/> bytes (one value per CPU, in order).
    /// </summary>
    public int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, KernelMapUpdateFlags flags = KernelMapUpdateFlags.Any)
    {
        CheckKey(key);
        byte[] raw;
        if (!IsPerCpu)
        {
            if (value.Length != ValueSize)
                throw new ArgumentException($"map '{Name}' values are {ValueSize} bytes, got {value.Length}", nameof(value));
            raw = value.ToArray();
        }
        else if (value.Length == ValueSize)
        {
            raw = new byte[RawValueSize];
            for (int cpu = 0; cpu < PossibleCpus; cpu++) value.CopyTo(raw.AsSpan(cpu * PerCpuStride));
        }
        else if (value.Length == ValueSize * PossibleCpus)
        {
            raw = new byte[RawValueSize];
            for (int cpu = 0; cpu < PossibleCpus; cpu++)
                value.Slice(cpu * ValueSize, ValueSize).CopyTo(raw.AsSpan(cpu * PerCpuStride));
        }
        else
        {
            throw new ArgumentException(
                $"per-CPU map '{Name}' takes {ValueSize} bytes (all CPUs) or {ValueSize * PossibleCpus} bytes (one value per CPU), got {value.Length}",
                nameof(value));
        }
        return UpdateRaw(key, raw, flags);
    }

    /// <summary>Writes one value per possible CPU (each <see cref="ValueSize"/> bytes); returns 0 or <c>-errno</c>.</summary>
    public int UpdatePerCpu(ReadOnlySpan<byte> key, IReadOnlyList<byte[]> values, KernelMapUpdateFlags flags = KernelMapUpdateFlags.Any)
    {
        if (!IsPerCpu)
            throw new InvalidOperationException($"map '{Name}' is not per-CPU: use Update");
        if (values.Count != PossibleCpus)
            throw new ArgumentException($"per-CPU map '{Name}' needs {PossibleCpus} values, got {values.Count}", nameof(values));
        byte[] raw = new byte[RawValueSize];
        for (int cpu = 0; cpu < PossibleCpus; cpu++)
        {
            if (values[cpu].Length != ValueSize)
                throw new ArgumentException($"map '{Name}' values are {ValueSize} bytes, CPU {cpu} has {values[cpu].Length}", nameof(values));
            values[cpu].CopyTo(raw.AsSpan(cpu * PerCpuStride));
        }
        return UpdateRaw(key, raw, flags);
    }

    /// <summary>Deletes an element; returns 0 or <c>-errno</c> (-ENOENT if absent, -EINVAL for arrays).</summary>
    public int Delete(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        using var lease = _owner.LeaseMapFd(this);
        fixed (byte* keyPointer = key)
            return LibBpf.MapDeleteElement(lease.Fd, KeySize == 0 ? null : keyPointer);
    }

    /// <summary>BPF_MAP_GET_NEXT_KEY: an empty <paramref name="key"/> asks for the first key. Returns 0, -ENOENT
    /// after the last key, or another <c>-errno</c>.</summary>
    public int GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        if (!key.IsEmpty) CheckKey(key);
        if (nextKey.Length < KeySize)
            throw new ArgumentException($"map '{Name}' keys are {KeySize} bytes", nameof(nextKey));
        using var lease = _owner.LeaseMapFd(this);
        fixed (byte* keyPointer = key)
        fixed (byte* nextPointer = nextKey)
            return LibBpf.MapGetNextKey(lease.Fd, key.IsEmpty ? null : keyPointer, nextPointer);
    }

    /// <summary>
    /// Every element, sorted by key bytes (the order of the CLI's JSON dump). Array maps list every index.
    /// Map types the kernel cannot iterate from user space (queue, stack, ring buffer, …) give an empty list.
    /// Elements deleted while iterating are skipped.
    /// </summary>
    public IReadOnlyList<KernelMapEntry> Entries()
    {
        using var lease = _owner.LeaseMapFd(this);
        var keys = new List<byte[]>();
        byte[] current = new byte[KeySize];
        byte[] next = new byte[KeySize];
        long limit = (long)MaxEntries + 1;
        fixed (byte* currentPointer = current)
        fixed (byte* nextPointer = next)
        {
            int result = LibBpf.MapGetNextKey(lease.Fd, null, nextPointer);
            if (ErrnoText.Of(result) is Errno.EINVAL or Errno.ENOTSUPP or Errno.EOPNOTSUPP) return [];
            while (result == 0 && keys.Count < limit)
            {
                keys.Add((byte[])next.Clone());
                next.CopyTo(current, 0);
                result = LibBpf.MapGetNextKey(lease.Fd, currentPointer, nextPointer);
            }
            if (result != 0 && ErrnoText.Of(result) != Errno.ENOENT) throw Failure("BPF_MAP_GET_NEXT_KEY", result);
        }

        keys.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
        var entries = new List<KernelMapEntry>(keys.Count);
        byte[] raw = new byte[RawValueSize];
        foreach (byte[] key in keys)
        {
            int result;
            fixed (byte* keyPointer = key)
            fixed (byte* valuePointer = raw)
                result = LibBpf.MapLookupElement(lease.Fd, keyPointer, valuePointer);
            if (ErrnoText.Of(result) == Errno.ENOENT) continue;
            if (result != 0) throw Failure("BPF_MAP_LOOKUP_ELEM", result);
            entries.Add(new KernelMapEntry(key, IsPerCpu ? SplitPerCpu(raw) : [raw[..ValueSize]], IsPerCpu));
        }
        return entries;
    }

    /// <summary>
    /// A ring buffer's committed records not consumed yet, oldest first (libbpf's ring_buffer__consume; discarded
    /// records are skipped). Consuming moves the kernel's consumer position past them.
    /// </summary>
    public IReadOnlyList<byte[]> ConsumeRingBuffer()
    {
        using var lease = _owner.LeaseMapFd(this);
        var records = new List<byte[]>();
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(records);
        try
        {
            nint ring = LibBpf.RingBufferNew(lease.Fd, &CollectRecord, System.Runtime.InteropServices.GCHandle.ToIntPtr(handle), 0);
            if (ring == 0)
                throw new InvalidOperationException($"map '{Name}': ring_buffer__new failed (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
            try
            {
                int result = LibBpf.RingBufferConsume(ring);
                if (result < 0) throw Failure("ring_buffer__consume", result);
            }
            finally
            {
                LibBpf.RingBufferFree(ring);
            }
        }
        finally
        {
            handle.Free();
        }
        return records;
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static int CollectRecord(nint context, byte* data, nuint size)
    {
        var records = (List<byte[]>)System.Runtime.InteropServices.GCHandle.FromIntPtr(context).Target!;
        records.Add(new ReadOnlySpan<byte>(data, (int)size).ToArray());
        return 0;
    }

    public override string ToString() =>
        $"{Name} ({TypeName}, key {KeySize} B, value {ValueSize} B, max_entries {MaxEntries}, flags 0x{Flags:x})";

    private int UpdateRaw(ReadOnlySpan<byte> key, byte[] raw, KernelMapUpdateFlags flags)
    {
        using var lease = _owner.LeaseMapFd(this);
        fixed (byte* keyPointer = key)
        fixed (byte* valuePointer = raw)
            return LibBpf.MapUpdateElement(lease.Fd, KeySize == 0 ? null : keyPointer, valuePointer, (ulong)flags);
    }

    private byte[][] SplitPerCpu(byte[] raw)
    {
        var values = new byte[PossibleCpus][];
        for (int cpu = 0; cpu < PossibleCpus; cpu++)
            values[cpu] = raw.AsSpan(cpu * PerCpuStride, ValueSize).ToArray();
        return values;
    }

    private void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
            throw new ArgumentException($"map '{Name}' keys are {KeySize} bytes, got {key.Length}", nameof(key));
    }

    private KernelCallException Failure(string command, int result) =>
        new($"{command} on map '{Name}'", result);
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SharpBpf.Maps;

/// <summary>
/// Typed host view of a map over unmanaged key and value structs (sizes must equal the map's key and value
/// sizes). Per-CPU values come back as one <typeparamref name="TValue"/> per possible CPU.
/// </summary>
public readonly struct MapView<TKey, TValue>
    where TKey : unmanaged
    where TValue : unmanaged
{
    /// <summary>A view of <paramref name="map"/>.</summary>
    /// <exception cref="ArgumentException">The key or value struct's size differs from the map's.</exception>
    public MapView(BpfMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (Unsafe.SizeOf<TKey>() != map.KeySize)
            throw new ArgumentException($"{typeof(TKey).Name} is {Unsafe.SizeOf<TKey>()} bytes, map '{map.Name}' keys are {map.KeySize}", nameof(map));
        if (Unsafe.SizeOf<TValue>() != map.ValueSize)
            throw new ArgumentException($"{typeof(TValue).Name} is {Unsafe.SizeOf<TValue>()} bytes, map '{map.Name}' values are {map.ValueSize}", nameof(map));
        Map = map;
    }

    /// <summary>The map viewed.</summary>
    public BpfMap Map { get; }

    /// <summary>Looks <paramref name="key"/> up; false when the map has no such element.</summary>
    /// <exception cref="InvalidOperationException">The map is per-CPU: use <see cref="TryGetPerCpu"/>.</exception>
    public bool TryGetValue(TKey key, out TValue value)
    {
        if (Map.IsPerCpu) throw new InvalidOperationException("per-CPU map: use TryGetPerCpu");
        value = default;
        return Map.Lookup(Bytes(ref key), MemoryMarshal.AsBytes(new Span<TValue>(ref value))) == Errno.None;
    }

    /// <summary>Looks <paramref name="key"/> up and returns one value per possible CPU (one value for a map that is not per-CPU), or null when the map has no such element.</summary>
    public TValue[]? TryGetPerCpu(TKey key)
    {
        var buffer = new byte[Map.HostValueSize];
        if (Map.Lookup(Bytes(ref key), buffer) != Errno.None) return null;
        var values = new TValue[Map.IsPerCpu ? Map.PossibleCpus : 1];
        var stride = Map.IsPerCpu ? Map.PerCpuStride : Map.ValueSize;
        for (var cpu = 0; cpu < values.Length; cpu++)
            values[cpu] = MemoryMarshal.Read<TValue>(buffer.AsSpan(cpu * stride, Map.ValueSize));
        return values;
    }

    /// <summary>Update with one value (for per-CPU maps: the same value on every CPU).</summary>
    public Errno Update(TKey key, TValue value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        if (!Map.IsPerCpu) return Map.Update(Bytes(ref key), MemoryMarshal.AsBytes(new Span<TValue>(ref value)), flags);
        var buffer = new byte[Map.HostValueSize];
        for (var cpu = 0; cpu < Map.PossibleCpus; cpu++)
            MemoryMarshal.Write(buffer.AsSpan(cpu * Map.PerCpuStride), in value);
        return Map.Update(Bytes(ref key), buffer, flags);
    }

    /// <summary>Deletes <paramref name="key"/>: <see cref="Errno.ENOENT"/> when absent, <see cref="Errno.EINVAL"/> for arrays.</summary>
    public Errno Delete(TKey key) => Map.Delete(Bytes(ref key));

    /// <summary>The keys present now, in the map's iteration order (a snapshot taken when enumeration starts).</summary>
    public IEnumerable<TKey> Keys()
    {
        foreach (var key in Map.Keys()) yield return MemoryMarshal.Read<TKey>(key);
    }

    private static Span<byte> Bytes(ref TKey key) => MemoryMarshal.AsBytes(new Span<TKey>(ref key));
}

/// <summary>Extension methods that make typed views of maps.</summary>
public static class MapViewExtensions
{
    /// <summary><paramref name="map"/> viewed with <typeparamref name="TKey"/> keys and <typeparamref name="TValue"/> values (<c>obj.Maps["counters"].As&lt;uint, ulong&gt;()</c>).</summary>
    public static MapView<TKey, TValue> As<TKey, TValue>(this BpfMap map)
        where TKey : unmanaged
        where TValue : unmanaged => new(map);
}

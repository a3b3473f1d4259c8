using System.Text;
using SharpBpf.Btf;
using SharpBpf.Loader;
using SharpBpf.Maps;

namespace SharpBpf.Testing;

/// <summary>
/// A map of a sandboxed object, seen through its BTF: keys and values are written as anonymous objects naming struct
/// members (<c>new { src_addr = "10.0.0.2", src_port = 40000 }</c>) or plain numbers, and every failing expectation
/// prints the map as its BTF types.
/// </summary>
public sealed class SandboxMap
{
    private readonly BpfMap _map;
    private readonly BtfSpec? _btf;
    private readonly MapSpec? _spec;

    internal SandboxMap(BpfMap map, CollectionSpec collection)
    {
        _map = map;
        _btf = collection.Btf;
        _spec = collection.FindMap(map.Name);
    }

    /// <summary>The map's name, as the object declares it.</summary>
    public string Name => _map.Name;

    /// <summary>Elements present (for arrays: max_entries).</summary>
    public int Count => _map.Count;

    /// <summary>Writes an element from the host (BPF_ANY), as user space would; a per-CPU map gets the value on every CPU.</summary>
    public void Set(object key, object value)
    {
        var bytes = EncodeValue(value);
        if (_map.IsPerCpu)
        {
            var wide = new byte[_map.HostValueSize];
            for (var cpu = 0; cpu < _map.PossibleCpus; cpu++) bytes.CopyTo(wide, cpu * _map.PerCpuStride);
            bytes = wide;
        }

        var error = _map.Update(EncodeKey(key), bytes, MapUpdateFlags.Any);
        if (error != Errno.None) throw new BpfAssertionException($"{Name}: update of {FormatKey(EncodeKey(key))} failed with {error}");
    }

    /// <summary>Deletes an element from the host.</summary>
    public void Delete(object key)
    {
        var error = _map.Delete(EncodeKey(key));
        if (error != Errno.None) throw new BpfAssertionException($"{Name}: delete of {FormatKey(EncodeKey(key))} failed with {error}");
    }

    /// <summary>Whether the map holds an element for <paramref name="key"/>.</summary>
    public bool Contains(object key) => TryGet(key) is not null;

    /// <summary>The element of <paramref name="key"/>, or null.</summary>
    public SandboxEntry? TryGet(object key)
    {
        var keyBytes = EncodeKey(key);
        var value = new byte[_map.HostValueSize];
        return _map.Lookup(keyBytes, value) == Errno.None ? new SandboxEntry(this, keyBytes, value) : null;
    }

    /// <summary>The element of <paramref name="key"/>; its absence fails with the map's contents.</summary>
    public SandboxEntry this[object key] => TryGet(key)
        ?? throw new BpfAssertionException($"{Name} has no element {FormatKey(EncodeKey(key))}; it holds:\n{this}");

    /// <summary>Every element, in key-byte order.</summary>
    public IReadOnlyList<SandboxEntry> Entries
    {
        get
        {
            var value = new byte[_map.HostValueSize];
            var entries = new List<SandboxEntry>();
            foreach (var key in _map.Keys().OrderBy(k => Convert.ToHexString(k), StringComparer.Ordinal))
            {
                if (_map.Lookup(key, value) == Errno.None) entries.Add(new SandboxEntry(this, key, [.. value]));
            }

            return entries;
        }
    }

    /// <summary>Asserts the element exists and, where <paramref name="expected"/> is given, that the members it names have those values.</summary>
    public SandboxEntry ShouldContain(object key, object? expected = null)
    {
        var entry = this[key];
        if (expected is not null) entry.ShouldMatch(expected);
        return entry;
    }

    /// <summary>Asserts the map holds no element for <paramref name="key"/>; a failure shows the element.</summary>
    public void ShouldNotContain(object key)
    {
        if (TryGet(key) is { } entry) throw new BpfAssertionException($"{Name} still holds {entry}");
    }

    /// <summary>Asserts the map holds nothing; a failure shows what it holds.</summary>
    public void ShouldBeEmpty()
    {
        if (Count != 0) throw new BpfAssertionException($"{Name} should be empty but holds {Count}:\n{this}");
    }

    /// <summary>Asserts the map holds <paramref name="expected"/> elements; a failure shows them.</summary>
    public void ShouldHaveCount(int expected)
    {
        if (Count != expected) throw new BpfAssertionException($"{Name} should hold {expected} but holds {Count}:\n{this}");
    }

    /// <summary>The map, one element a line, as its BTF types.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var entry in Entries) text.Append("  ").AppendLine(entry.ToString());
        return text.Length == 0 ? "  (nothing)" : text.ToString().TrimEnd();
    }

    internal byte[] EncodeKey(object key)
    {
        if (key is byte[] raw) return raw;
        if (_btf is not null && _spec is { KeyTypeId: > 0 }) return BtfValueEncoder.Encode(_btf, _spec.KeyTypeId, key);
        return _map.KeySize == 4 ? BitConverter.GetBytes(Convert.ToUInt32(key, System.Globalization.CultureInfo.InvariantCulture))
            : throw new ArgumentException($"{Name} has no BTF key type: give its key as bytes");
    }

    internal byte[] EncodeValue(object value)
    {
        if (value is byte[] raw) return raw;
        if (_btf is not null && _spec is { ValueTypeId: > 0 }) return BtfValueEncoder.Encode(_btf, _spec.ValueTypeId, value);
        throw new ArgumentException($"{Name} has no BTF value type: give its value as bytes");
    }

    internal string FormatKey(byte[] key) => Format(_spec?.KeyTypeId ?? 0, key);

    internal string FormatValue(ReadOnlySpan<byte> value) => Format(_spec?.ValueTypeId ?? 0, value);

    internal BtfSpec? Btf => _btf;

    internal uint ValueTypeId => _spec?.ValueTypeId ?? 0;

    internal int ValueSize => _map.ValueSize;

    internal int PerCpuStride => _map.PerCpuStride;

    internal bool IsPerCpu => _map.IsPerCpu;

    private string Format(uint typeId, ReadOnlySpan<byte> bytes) => BtfDisplayFormatter.FormatOrHex(_btf, typeId, bytes);
}

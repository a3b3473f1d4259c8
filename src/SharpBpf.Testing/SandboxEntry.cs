using System.Buffers.Binary;
using SharpBpf.Btf;

namespace SharpBpf.Testing;

/// <summary>One element of a <see cref="SandboxMap"/>: its key and value bytes, read through the value's BTF type.</summary>
public sealed class SandboxEntry
{
    private readonly SandboxMap _map;

    internal SandboxEntry(SandboxMap map, byte[] key, byte[] value)
    {
        _map = map;
        KeyBytes = key;
        ValueBytes = value;
    }

    /// <summary>The element's key as stored.</summary>
    public byte[] KeyBytes { get; }

    /// <summary>The value; for a per-CPU map, every CPU's value one after another (see <see cref="OnCpu"/>).</summary>
    public byte[] ValueBytes { get; }

    /// <summary>CPU <paramref name="cpu"/>'s value of a per-CPU map.</summary>
    public ReadOnlySpan<byte> OnCpu(int cpu) => ValueBytes.AsSpan(cpu * _map.PerCpuStride, _map.ValueSize);

    /// <summary>
    /// A member of the value by its C path (<c>packets</c>, <c>stats.rx</c>, <c>history[2]</c>) as a number in host
    /// order (network-order <c>__be16/__be32</c> members are swapped, as bpf_ntohs would), or the whole value for an
    /// integer value with an empty path.
    /// </summary>
    public ulong Field(string path = "")
    {
        var (typeId, offset, size) = Locate(path);
        var bytes = ValueBytes.AsSpan(offset, size);
        var networkOrder = _map.Btf is { } btf && BtfNetworkOrder.TypedefName(btf, typeId) is not null;
        return size switch
        {
            1 => bytes[0],
            2 => networkOrder ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes),
            4 => networkOrder ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            8 => networkOrder ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            _ => throw new ArgumentException($"{_map.Name}: {path} is {size} bytes, not a number; use Text(\"{path}\")"),
        };
    }

    /// <summary>A member (or the whole value) as BTF types print it: <c>10.0.0.2</c>, <c>{rx=1, tx=2}</c>.</summary>
    public string Text(string path = "")
    {
        var (typeId, offset, size) = Locate(path);
        return _map.Btf is { } btf && typeId != 0 ? BtfDisplayFormatter.Format(btf, typeId, ValueBytes.AsSpan(offset, size)) : Convert.ToHexStringLower(ValueBytes.AsSpan(offset, size));
    }

    /// <summary>Asserts that every member <paramref name="expected"/> names has that value (members it leaves out are not compared).</summary>
    public void ShouldMatch(object expected)
    {
        if (_map.Btf is not { } btf || _map.ValueTypeId == 0) throw new ArgumentException($"{_map.Name} has no BTF value type to match members against");
        var mismatches = new List<string>();
        Compare(btf, _map.ValueTypeId, ValueBytes.AsSpan(0, _map.ValueSize), expected, "", mismatches);
        if (mismatches.Count > 0)
            throw new BpfAssertionException($"{_map.Name}[{_map.FormatKey(KeyBytes)}]: {string.Join("; ", mismatches)}\n  the element: {this}");
    }

    /// <summary>The element as its BTF types print it: <c>key =&gt; value</c>.</summary>
    public override string ToString() => $"{_map.FormatKey(KeyBytes)} => {(_map.IsPerCpu ? PerCpuText() : _map.FormatValue(ValueBytes.AsSpan(0, _map.ValueSize)))}";

    private string PerCpuText() => string.Join(", ", Enumerable.Range(0, ValueBytes.Length / _map.PerCpuStride).Select(cpu => $"cpu{cpu}: {_map.FormatValue(OnCpu(cpu))}"));

    private static void Compare(BtfSpec btf, uint typeId, ReadOnlySpan<byte> actual, object expected, string prefix, List<string> mismatches)
    {
        var isObject = expected is not (string or System.Net.IPAddress or System.Collections.IEnumerable) && expected.GetType().GetProperties().Length > 0
            && !expected.GetType().IsPrimitive && btf.SkipQualifiersAndTypedefs(typeId) is BtfComposite;
        if (!isObject)
        {
            var size = btf.TrySizeOf(typeId, out var s) ? (int)s : actual.Length;
            var wanted = new byte[size];
            BtfValueEncoder.Write(btf, typeId, expected, wanted, prefix.Length == 0 ? "value" : prefix);
            if (!actual[..size].SequenceEqual(wanted))
                mismatches.Add($"{(prefix.Length == 0 ? "value" : prefix)} is {BtfDisplayFormatter.Format(btf, typeId, actual[..size])}, expected {BtfDisplayFormatter.Format(btf, typeId, wanted)}");
            return;
        }

        foreach (var property in expected.GetType().GetProperties())
        {
            var path = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
            var (memberType, offset) = BtfMemberPath.Resolve(btf, typeId, property.Name);
            var value = property.GetValue(expected);
            if (value is null) continue;
            Compare(btf, memberType, actual[offset..], value, path, mismatches);
        }
    }

    private (uint TypeId, int Offset, int Size) Locate(string path)
    {
        if (path.Length == 0) return (_map.ValueTypeId, 0, _map.ValueSize);
        if (_map.Btf is not { } btf || _map.ValueTypeId == 0) throw new ArgumentException($"{_map.Name} has no BTF value type to find {path} in");
        var (typeId, offset) = BtfMemberPath.Resolve(btf, _map.ValueTypeId, path);
        return (typeId, offset, btf.TrySizeOf(typeId, out var size) ? (int)size : 0);
    }
}

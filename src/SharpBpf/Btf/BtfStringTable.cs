using System.Text;

namespace SharpBpf.Btf;

/// <summary>
/// The string section of a <c>.BTF</c> blob: NUL-terminated strings addressed by byte offset. Offset 0 is
/// always the empty string. Strings are decoded on demand and cached.
/// </summary>
internal sealed class BtfStringTable
{
    private readonly byte[] _bytes;
    private readonly Dictionary<uint, string> _cache = new();
    private readonly Lock _gate = new();

    internal BtfStringTable(byte[] bytes) => _bytes = bytes;

    /// <summary>Size of the section in bytes.</summary>
    public int Length => _bytes.Length;

    /// <summary>The raw section bytes (a copy).</summary>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <summary>The string at <paramref name="offset"/>, or false when the offset lies outside the section.</summary>
    public bool TryGet(uint offset, out string value)
    {
        if (offset >= (uint)_bytes.Length)
        {
            value = "";
            return false;
        }
        lock (_gate)
        {
            if (!_cache.TryGetValue(offset, out var cached))
            {
                var tail = _bytes.AsSpan((int)offset);
                int end = tail.IndexOf((byte)0);
                cached = Encoding.UTF8.GetString(end < 0 ? tail : tail[..end]);
                _cache[offset] = cached;
            }
            value = cached;
            return true;
        }
    }

    /// <summary>The string at <paramref name="offset"/>; <see cref="ArgumentOutOfRangeException"/> when outside the section.</summary>
    public string this[uint offset] =>
        TryGet(offset, out var value) ? value : throw new ArgumentOutOfRangeException(nameof(offset), offset, "beyond the BTF string section");
}

namespace SharpBpf.Kernel;

/// <summary>One element of a map as user space reads it: special fields (bpf_timer, bpf_spin_lock) read as zero.</summary>
internal sealed class KernelMapEntry
{
    internal KernelMapEntry(byte[] key, IReadOnlyList<byte[]> values, bool isPerCpu)
    {
        Key = key;
        Values = values;
        IsPerCpu = isPerCpu;
    }

    public byte[] Key { get; }

    /// <summary>One value for ordinary maps; one per possible CPU (in CPU order, each <c>value_size</c> bytes,
    /// the kernel's 8-byte padding removed) for per-CPU maps.</summary>
    public IReadOnlyList<byte[]> Values { get; }

    public bool IsPerCpu { get; }

    /// <summary>The value of an ordinary map; per-CPU maps have <see cref="Values"/> only.</summary>
    public byte[] Value => IsPerCpu
        ? throw new InvalidOperationException("a per-CPU map element has one value per CPU: read Values")
        : Values[0];
}

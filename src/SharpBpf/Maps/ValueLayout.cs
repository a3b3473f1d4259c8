using System.Runtime.InteropServices;
using SharpBpf.Btf;

namespace SharpBpf.Maps;

/// <summary>
/// How values are copied around their special fields (the kernel's <c>copy_map_value</c>): the plain byte ranges
/// between fields are copied, special-field bytes are never written by copies and read as zero to the host.
/// </summary>
internal sealed unsafe class ValueLayout
{
    private readonly (int Offset, int Length)[] _plainRanges;
    private readonly SpecialField[] _fields;

    public ValueLayout(int valueSize, IReadOnlyList<SpecialField> fields)
    {
        ValueSize = valueSize;
        _fields = [.. fields.OrderBy(f => f.Offset)];
        var ranges = new List<(int, int)>();
        var position = 0;
        foreach (var field in _fields)
        {
            if (field.Offset > position) ranges.Add((position, field.Offset - position));
            position = Math.Max(position, field.Offset + field.Size);
        }
        if (position < valueSize) ranges.Add((position, valueSize - position));
        _plainRanges = [.. ranges];
        foreach (var field in _fields)
            if (field.Kind == SpecialFieldKind.SpinLock) SpinLockOffset = field.Offset;
    }

    public int ValueSize { get; }
    public bool HasSpecialFields => _fields.Length != 0;
    public int SpinLockOffset { get; } = -1;
    public bool HasSpinLock => SpinLockOffset >= 0;

    /// <summary>Writes the plain bytes of <paramref name="source"/> into the value at <paramref name="destination"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void CopyIn(byte* destination, ReadOnlySpan<byte> source)
    {
        if (_fields.Length == 0)
        {
            source[..ValueSize].CopyTo(new Span<byte>(destination, ValueSize));
            return;
        }
        foreach (var (offset, length) in _plainRanges)
            source.Slice(offset, length).CopyTo(new Span<byte>(destination + offset, length));
    }

    /// <summary>Reads the value for the host: plain bytes copied, special-field bytes zero.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void CopyOut(Span<byte> destination, byte* source)
    {
        new ReadOnlySpan<byte>(source, ValueSize).CopyTo(destination);
        foreach (var field in _fields)
            destination.Slice(field.Offset, field.Size).Clear();
    }

    public void CopyInLocked(byte* destination, ReadOnlySpan<byte> source)
    {
        var lockWord = (int*)(destination + SpinLockOffset);
        BpfSpinLock.Acquire(lockWord);
        try { CopyIn(destination, source); }
        finally { BpfSpinLock.Release(lockWord); }
    }

    public void CopyOutLocked(Span<byte> destination, byte* source)
    {
        var lockWord = (int*)(source + SpinLockOffset);
        BpfSpinLock.Acquire(lockWord);
        try { CopyOut(destination, source); }
        finally { BpfSpinLock.Release(lockWord); }
    }

    public static byte* AllocateZeroed(nuint size)
    {
        var memory = (byte*)NativeMemory.AlignedAlloc(size == 0 ? 8 : size, 16);
        NativeMemory.Clear(memory, size);
        return memory;
    }
}

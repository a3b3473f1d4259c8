using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SharpBpf.Maps;

/// <summary>
/// The preallocated elements of a hash map (the kernel's default; BPF_F_NO_PREALLOC maps have none): one native block
/// of <c>capacity</c> element blocks (value area, then the key), fixed for the map's life, and the nodes over them,
/// made on first use. A released element goes back to a LIFO free list and is reused by the next update at once, as
/// the kernel's htab reuses a replaced element as its next extra element: its memory is never freed while the map
/// lives, so a program still holding its value pointer reads and writes map memory, never freed memory.
/// Not thread-safe: the map's write lock guards it.
/// </summary>
internal sealed unsafe class HashNodePool
{
    private readonly byte* _storage;
    private readonly int _elementSize;
    private readonly int _capacity;
    private readonly int _valueArea;
    private readonly int _keySize;
    private HashNode[] _free;
    private int _freeCount;
    private int _fresh;

    public HashNodePool(int capacity, int valueArea, int keySize)
    {
        _capacity = capacity;
        _valueArea = valueArea;
        _keySize = keySize;
        _elementSize = valueArea + (int)MapCreateValidator.Round8((uint)keySize);
        // Not cleared here: each element is cleared when it is taken, so untouched elements cost no page.
        _storage = (byte*)NativeMemory.AlignedAlloc((nuint)capacity * (nuint)_elementSize, 16);
        // Grown as elements are first used: a map sized for millions that holds a few costs a few.
        _free = new HashNode[Math.Min(capacity, 64)];
    }

    /// <summary>Where the elements start and how many bytes they span: the range a value pointer of this map may fall in.</summary>
    public nint Start => (nint)_storage;

    public ulong Length => (ulong)_capacity * (ulong)_elementSize;

    public int ElementSize => _elementSize;

    /// <summary>A free element, its block cleared, or false when every element is in use (or waiting to be returned).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryTake(out HashNode node)
    {
        if (_freeCount > 0)
        {
            node = _free[--_freeCount];
        }
        else if (_fresh < _capacity)
        {
            var block = _storage + (nuint)_fresh++ * (nuint)_elementSize;
            node = new HashNode(new byte[_keySize], 0, (nint)block, (nint)(block + _valueArea), pooled: true);
        }
        else
        {
            node = null!;
            return false;
        }

        NativeMemory.Clear((void*)node.Block, (nuint)_elementSize);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Return(HashNode node)
    {
        if (_freeCount == _free.Length)
        {
            Array.Resize(ref _free, Math.Min(_free.Length * 2, _capacity));
        }

        _free[_freeCount++] = node;
    }
}

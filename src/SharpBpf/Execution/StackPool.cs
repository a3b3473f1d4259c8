using System.Runtime.InteropServices;

namespace SharpBpf.Execution;

/// <summary>
/// Native blocks for run stacks (<see cref="StackLayout.TotalSize"/> bytes each), handed out zeroed. A few blocks are
/// kept for reuse so a run does not pay for an allocation; the pool never holds more than <see cref="Capacity"/>.
/// </summary>
internal static unsafe class StackPool
{
    private const int Capacity = 16;
    private static readonly nint[] Slots = new nint[Capacity];

    public static byte* Rent()
    {
        for (var i = 0; i < Capacity; i++)
        {
            var block = Interlocked.Exchange(ref Slots[i], 0);
            if (block != 0)
            {
                NativeMemory.Clear((void*)block, StackLayout.TotalSize);
                return (byte*)block;
            }
        }

        var fresh = NativeMemory.AlignedAlloc(StackLayout.TotalSize, 64);
        NativeMemory.Clear(fresh, StackLayout.TotalSize);
        return (byte*)fresh;
    }

    public static void Return(byte* block)
    {
        for (var i = 0; i < Capacity; i++)
        {
            if (Interlocked.CompareExchange(ref Slots[i], (nint)block, 0) == 0)
            {
                return;
            }
        }

        NativeMemory.AlignedFree(block);
    }
}

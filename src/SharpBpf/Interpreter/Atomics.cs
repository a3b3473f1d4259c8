using System.Runtime.CompilerServices;
using SharpBpf.Execution;

namespace SharpBpf.Interpreter;

/// <summary>
/// The BPF_ATOMIC operations on real memory, with the kernel's register effects: the fetch forms and xchg put the old
/// value in src (32-bit forms zero-extend it), cmpxchg compares with r0 and puts the old value in r0.
/// The caller has checked the address (bounds and alignment in checked mode).
/// </summary>
internal static unsafe class Atomics
{
    public static void Execute32(Op op, int* address, ulong* r, byte src)
    {
        ref var cell = ref Unsafe.AsRef<int>(address);
        var value = (int)r[src];
        switch (op)
        {
            case Op.AtomicAdd32: Interlocked.Add(ref cell, value); break;
            case Op.AtomicOr32: Interlocked.Or(ref cell, value); break;
            case Op.AtomicAnd32: Interlocked.And(ref cell, value); break;
            case Op.AtomicXor32: AtomicXor.Exchange(ref cell, value); break;
            case Op.AtomicFetchAdd32: r[src] = (uint)(Interlocked.Add(ref cell, value) - value); break;
            case Op.AtomicFetchOr32: r[src] = (uint)Interlocked.Or(ref cell, value); break;
            case Op.AtomicFetchAnd32: r[src] = (uint)Interlocked.And(ref cell, value); break;
            case Op.AtomicFetchXor32: r[src] = (uint)AtomicXor.Exchange(ref cell, value); break;
            case Op.AtomicXchg32: r[src] = (uint)Interlocked.Exchange(ref cell, value); break;
            default: r[0] = (uint)Interlocked.CompareExchange(ref cell, value, (int)r[0]); break;
        }
    }

    public static void Execute64(Op op, long* address, ulong* r, byte src)
    {
        ref var cell = ref Unsafe.AsRef<long>(address);
        var value = (long)r[src];
        switch (op)
        {
            case Op.AtomicAdd64: Interlocked.Add(ref cell, value); break;
            case Op.AtomicOr64: Interlocked.Or(ref cell, value); break;
            case Op.AtomicAnd64: Interlocked.And(ref cell, value); break;
            case Op.AtomicXor64: AtomicXor.Exchange(ref cell, value); break;
            case Op.AtomicFetchAdd64: r[src] = (ulong)(Interlocked.Add(ref cell, value) - value); break;
            case Op.AtomicFetchOr64: r[src] = (ulong)Interlocked.Or(ref cell, value); break;
            case Op.AtomicFetchAnd64: r[src] = (ulong)Interlocked.And(ref cell, value); break;
            case Op.AtomicFetchXor64: r[src] = (ulong)AtomicXor.Exchange(ref cell, value); break;
            case Op.AtomicXchg64: r[src] = (ulong)Interlocked.Exchange(ref cell, value); break;
            default: r[0] = (ulong)Interlocked.CompareExchange(ref cell, value, (long)r[0]); break;
        }
    }
}

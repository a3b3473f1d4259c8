using System.Runtime.CompilerServices;
using SharpBpf.Execution;

namespace SharpBpf.Jit;

/// <summary>
/// BPF_ATOMIC on real memory for compiled code: each method takes the checked, aligned address and the operand and
/// returns the value the instruction writes back to a register — the old value for the fetch forms, xchg and
/// cmpxchg (zero-extended for 32-bit cells). The plain forms return nothing. It does not check addresses.
/// </summary>
internal static unsafe class JitAtomics
{
    private static ref int Cell32(ulong address) => ref Unsafe.AsRef<int>((void*)address);
    private static ref long Cell64(ulong address) => ref Unsafe.AsRef<long>((void*)address);

    public static void Add32(ulong address, ulong value) => Interlocked.Add(ref Cell32(address), (int)value);
    public static void Or32(ulong address, ulong value) => Interlocked.Or(ref Cell32(address), (int)value);
    public static void And32(ulong address, ulong value) => Interlocked.And(ref Cell32(address), (int)value);
    public static void Xor32(ulong address, ulong value) => AtomicXor.Exchange(ref Cell32(address), (int)value);
    public static ulong FetchAdd32(ulong address, ulong value) => (uint)(Interlocked.Add(ref Cell32(address), (int)value) - (int)value);
    public static ulong FetchOr32(ulong address, ulong value) => (uint)Interlocked.Or(ref Cell32(address), (int)value);
    public static ulong FetchAnd32(ulong address, ulong value) => (uint)Interlocked.And(ref Cell32(address), (int)value);
    public static ulong FetchXor32(ulong address, ulong value) => (uint)AtomicXor.Exchange(ref Cell32(address), (int)value);
    public static ulong Xchg32(ulong address, ulong value) => (uint)Interlocked.Exchange(ref Cell32(address), (int)value);

    public static ulong CmpXchg32(ulong address, ulong value, ulong expected) =>
        (uint)Interlocked.CompareExchange(ref Cell32(address), (int)value, (int)expected);

    public static void Add64(ulong address, ulong value) => Interlocked.Add(ref Cell64(address), (long)value);
    public static void Or64(ulong address, ulong value) => Interlocked.Or(ref Cell64(address), (long)value);
    public static void And64(ulong address, ulong value) => Interlocked.And(ref Cell64(address), (long)value);
    public static void Xor64(ulong address, ulong value) => AtomicXor.Exchange(ref Cell64(address), (long)value);
    public static ulong FetchAdd64(ulong address, ulong value) => (ulong)(Interlocked.Add(ref Cell64(address), (long)value) - (long)value);
    public static ulong FetchOr64(ulong address, ulong value) => (ulong)Interlocked.Or(ref Cell64(address), (long)value);
    public static ulong FetchAnd64(ulong address, ulong value) => (ulong)Interlocked.And(ref Cell64(address), (long)value);
    public static ulong FetchXor64(ulong address, ulong value) => (ulong)AtomicXor.Exchange(ref Cell64(address), (long)value);
    public static ulong Xchg64(ulong address, ulong value) => (ulong)Interlocked.Exchange(ref Cell64(address), (long)value);

    public static ulong CmpXchg64(ulong address, ulong value, ulong expected) =>
        (ulong)Interlocked.CompareExchange(ref Cell64(address), (long)value, (long)expected);
}

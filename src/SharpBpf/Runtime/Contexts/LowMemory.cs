using System.Runtime.InteropServices;

namespace SharpBpf.Runtime.Contexts;

/// <summary>
/// Native memory below 2 GiB (<c>mmap</c> with <c>MAP_32BIT</c>). The UAPI contexts hold packet pointers in 32-bit
/// fields (<c>xdp_md.data</c>, <c>__sk_buff.data</c>); the kernel rewrites those loads into 64-bit pointer loads.
/// Placing packets at addresses that fit in 32 bits gives compiled programs real pointers from the same loads,
/// with no instruction rewriting and no verifier type tracking. x86-64 Linux only.
/// </summary>
internal static unsafe partial class LowMemory
{
    private const int ProtRead = 1, ProtWrite = 2, MapPrivate = 0x02, MapAnonymous = 0x20, Map32Bit = 0x40;

    public static byte* Allocate(nuint size)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException("packet contexts need 32-bit addressable memory (x86-64 Linux)");
        }

        var address = mmap(null, size, ProtRead | ProtWrite, MapPrivate | MapAnonymous | Map32Bit, -1, 0);
        if (address == (void*)-1 || (ulong)address + size > uint.MaxValue)
        {
            throw new InsufficientMemoryException($"no {size} bytes of 32-bit addressable memory left for a packet");
        }

        return (byte*)address;
    }

    public static void Free(byte* address, nuint size) => _ = munmap(address, size);

    [LibraryImport("libc", SetLastError = true)]
    private static partial void* mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(void* address, nuint length);
}

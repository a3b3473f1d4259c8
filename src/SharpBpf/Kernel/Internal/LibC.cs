using System.Runtime.InteropServices;

namespace SharpBpf.Kernel.Internal;

/// <summary>The few glibc calls the kernel engine needs: fd duplication and closing, the raw bpf(2) syscall
/// (used where libbpf must not be involved, e.g. probing availability before libbpf is loaded), and
/// <c>vsnprintf</c> to format libbpf's log lines.</summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc.so.6";

    [LibraryImport(Library, EntryPoint = "dup", SetLastError = true)]
    public static partial int Dup(int fd);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();

    /// <summary>glibc's <c>syscall</c> is variadic, but on x86-64 and arm64 Linux integer arguments travel in
    /// the same registers as for a fixed-argument call, and glibc's implementation never reads the vector
    /// count, so a fixed four-argument prototype is a correct way to call it.</summary>
    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    public static partial nint Syscall(nint number, nint argument1, nint argument2, nint argument3);

    [LibraryImport(Library, EntryPoint = "vsnprintf")]
    public static partial int VsnPrintf(byte* buffer, nuint size, byte* format, nint arguments);
}

using SharpBpf.Maps;
using System.Runtime.InteropServices;
using SharpBpf.Kernel.Internal;

namespace SharpBpf.Kernel;

/// <summary>
/// Says whether the kernel engine can run here: Linux on x86-64/arm64, <c>libbpf.so.1</c> loadable, and the
/// bpf(2) syscall willing to create a map, load a two-instruction XDP program and test-run it. The probe
/// uses the raw syscall, so the answer does not depend on libbpf's own feature probing. It does not check
/// for a mounted bpffs: the engine never pins anything. The result is computed once per process.
/// </summary>
internal static class KernelAvailability
{
    private static readonly Lazy<string?> s_reason = new(Probe);

    /// <summary>Null when the kernel engine is usable, otherwise a one-line reason for a person
    /// ("not root: ...", "libbpf.so.1 not found ...", "BPF syscall refused: ...").</summary>
    public static string? Check() => s_reason.Value;

    /// <summary>The libbpf version string ("v1.1"), or null when libbpf cannot be loaded.</summary>
    public static string? LibBpfVersion
    {
        get
        {
            if (!TryLoadLibBpf()) return null;
            return LibBpf.ToText(LibBpf.VersionString());
        }
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> with the reason when the engine is unusable.</summary>
    public static void ThrowIfUnavailable()
    {
        string? reason = Check();
        if (reason is not null)
            throw new InvalidOperationException("The kernel engine is not available: " + reason);
    }

    private static bool TryLoadLibBpf() =>
        OperatingSystem.IsLinux() && NativeLibrary.TryLoad(LibBpf.Library, out _);

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
            return "not Linux: the kernel engine runs programs in the Linux kernel";
        if (RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
            return $"unsupported architecture {RuntimeInformation.ProcessArchitecture} (x64 and arm64 are supported)";
        if (!TryLoadLibBpf())
            return "libbpf.so.1 not found (install the libbpf1 package)";

        int mapFd = BpfSyscall.CreateArrayMap(4, 4, 1);
        if (mapFd < 0) return Refusal("BPF_MAP_CREATE", mapFd);
        LibC.Close(mapFd);

        // r0 = XDP_PASS (2); exit
        ReadOnlySpan<ulong> program = [0x0000_0002_0000_00b7UL, 0x0000_0000_0000_0095UL];
        int programFd = BpfSyscall.LoadProgram(BpfSyscall.ProgramTypeXdp, program);
        if (programFd < 0) return Refusal("BPF_PROG_LOAD", programFd);
        try
        {
            Span<byte> packet = stackalloc byte[64];
            packet.Clear();
            int result = BpfSyscall.TestRun(programFd, packet, out uint returnValue);
            if (result < 0) return Refusal("BPF_PROG_TEST_RUN", result);
            if (returnValue != 2)
                return $"BPF_PROG_TEST_RUN returned {returnValue} for a program that returns 2";
        }
        finally
        {
            LibC.Close(programFd);
        }
        return null;
    }

    private static string Refusal(string command, int negativeErrno)
    {
        int errno = -negativeErrno;
        if (errno == (int)Errno.EPERM && LibC.GetEffectiveUserId() != 0)
            return $"not root: {command} returned EPERM (the kernel engine needs root, or CAP_BPF with CAP_PERFMON and CAP_NET_ADMIN)";
        if (errno == (int)Errno.ENOSYS)
            return $"BPF syscall refused: {command} returned ENOSYS (kernel built without CONFIG_BPF_SYSCALL?)";
        return $"BPF syscall refused: {command} returned {ErrnoText.Describe(errno)}";
    }
}

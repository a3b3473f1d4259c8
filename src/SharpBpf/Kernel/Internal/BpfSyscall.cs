using SharpBpf.Maps;
using System.Runtime.InteropServices;

namespace SharpBpf.Kernel.Internal;

/// <summary>
/// The raw bpf(2) syscall for the few commands the availability probe issues before trusting libbpf. Attribute
/// layouts are those of <c>union bpf_attr</c> in the UAPI header; buffers are zeroed, which the kernel requires
/// for every byte past the fields a command uses.
/// </summary>
internal static unsafe class BpfSyscall
{
    private const int MapCreate = 0;
    private const int ProgramLoad = 5;
    private const int ProgramTestRun = 10;

    public const int MapTypeHash = 1;
    public const int MapTypeArray = 2;
    public const int ProgramTypeXdp = 6;

    private static nint SyscallNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 => 280,
        _ => -1,
    };

    /// <summary>Returns the new fd, or -errno.</summary>
    public static int CreateArrayMap(uint keySize, uint valueSize, uint maxEntries) => CreateMap(MapTypeArray, keySize, valueSize, maxEntries);

    /// <summary>Returns the new fd, or -errno.</summary>
    public static int CreateMap(int mapType, uint keySize, uint valueSize, uint maxEntries)
    {
        byte* attr = stackalloc byte[72];
        new Span<byte>(attr, 72).Clear();
        *(uint*)(attr + 0) = (uint)mapType;
        *(uint*)(attr + 4) = keySize;
        *(uint*)(attr + 8) = valueSize;
        *(uint*)(attr + 12) = maxEntries;
        return Invoke(MapCreate, attr, 72);
    }

    /// <summary>Loads raw instructions as a GPL program of the given type; returns the fd or -errno.</summary>
    public static int LoadProgram(int programType, ReadOnlySpan<ulong> instructions) => LoadProgram(programType, instructions, []);

    /// <summary>
    /// Loads raw instructions as a GPL program of the given type with the verifier's log (level 1) written into
    /// <paramref name="log"/> when it is not empty; returns the fd or -errno.
    /// </summary>
    public static int LoadProgram(int programType, ReadOnlySpan<ulong> instructions, Span<byte> log)
    {
        byte* attr = stackalloc byte[72];
        new Span<byte>(attr, 72).Clear();
        byte* license = stackalloc byte[] { (byte)'G', (byte)'P', (byte)'L', 0 };
        fixed (ulong* code = instructions)
        fixed (byte* logBuffer = log)
        {
            *(uint*)(attr + 0) = (uint)programType;
            *(uint*)(attr + 4) = (uint)instructions.Length;
            *(ulong*)(attr + 8) = (ulong)code;
            *(ulong*)(attr + 16) = (ulong)license;
            if (log.Length > 0)
            {
                *(uint*)(attr + 24) = 1;
                *(uint*)(attr + 28) = (uint)log.Length;
                *(ulong*)(attr + 32) = (ulong)logBuffer;
            }

            return Invoke(ProgramLoad, attr, 72);
        }
    }

    /// <summary>Runs a program once on a packet; returns 0 (and the program's r0) or -errno.</summary>
    public static int TestRun(int programFd, ReadOnlySpan<byte> packet, out uint returnValue)
    {
        byte* attr = stackalloc byte[80];
        new Span<byte>(attr, 80).Clear();
        fixed (byte* data = packet)
        {
            *(uint*)(attr + 0) = (uint)programFd;
            *(uint*)(attr + 8) = (uint)packet.Length;
            *(ulong*)(attr + 16) = (ulong)data;
            *(uint*)(attr + 32) = 1;
            int result = Invoke(ProgramTestRun, attr, 80);
            returnValue = *(uint*)(attr + 4);
            return result;
        }
    }

    private static int Invoke(int command, byte* attr, int size)
    {
        if (SyscallNumber < 0) return -(int)Errno.ENOSYS;
        nint result = LibC.Syscall(SyscallNumber, command, (nint)attr, size);
        return result < 0 ? -Marshal.GetLastPInvokeError() : (int)result;
    }
}

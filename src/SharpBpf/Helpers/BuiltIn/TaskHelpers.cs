using System.Text;
using SharpBpf.Maps;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// bpf_get_prandom_u32, bpf_get_smp_processor_id (the run's CPU, <see cref="RunScope.CurrentCpu"/>),
/// bpf_get_current_pid_tgid and bpf_get_current_comm (the environment's <see cref="IHostProcess"/>).
/// </summary>
internal sealed class TaskHelpers(HelperEnvironment environment)
{
    /// <summary>The kernel's TASK_COMM_LEN: 15 characters and a NUL.</summary>
    public const int TaskCommLength = 16;

    public ulong GetPrandomU32(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        environment.Random.NextUInt32();

    public ulong GetSmpProcessorId(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        (uint)RunScope.CurrentCpu;

    public ulong GetCurrentPidTgid(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var process = environment.Process;
        return ((ulong)process.ProcessId << 32) | process.CurrentThreadId;
    }

    /// <summary>strscpy_pad into (buf, size): at most size-1 bytes of the comm, NUL-padded to size; returns 0.</summary>
    public ulong GetCurrentComm(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var size = (uint)r2;
        var buffer = context.GetArgumentMemory(1, r1, size, MemoryAccess.Write);
        buffer.Clear();
        if (buffer.IsEmpty)
        {
            return 0;
        }

        Span<byte> comm = stackalloc byte[TaskCommLength * 4];
        var name = environment.Process.Name;
        var written = Encoding.UTF8.GetBytes(name.AsSpan(0, Math.Min(name.Length, TaskCommLength - 1)), comm);
        var length = Math.Min(Math.Min(written, TaskCommLength - 1), buffer.Length - 1);
        comm[..length].CopyTo(buffer);
        return 0;
    }
}

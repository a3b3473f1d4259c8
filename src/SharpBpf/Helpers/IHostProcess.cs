using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SharpBpf.Helpers;

/// <summary>
/// The "current task" of bpf_get_current_pid_tgid and bpf_get_current_comm. In the kernel that is the task the program
/// runs in; here it is the host process and the calling thread unless the host supplies another identity.
/// </summary>
internal interface IHostProcess
{
    /// <summary>The thread group id (the process id): the upper half of bpf_get_current_pid_tgid.</summary>
    uint ProcessId { get; }

    /// <summary>The kernel thread id of the calling thread: the lower half of bpf_get_current_pid_tgid.</summary>
    uint CurrentThreadId { get; }

    /// <summary>The task's comm (at most 15 characters are used).</summary>
    string Name { get; }
}

/// <summary>The real host process: its pid, the calling thread's Linux tid (<c>gettid</c>), and its process name.</summary>
internal sealed partial class HostProcess : IHostProcess
{
    public static HostProcess Current { get; } = new();

    private readonly Lazy<string> _name = new(() =>
    {
        using var process = Process.GetCurrentProcess();
        return process.ProcessName;
    });

    private HostProcess()
    {
    }

    public uint ProcessId => (uint)Environment.ProcessId;

    public uint CurrentThreadId
    {
        get
        {
            if (OperatingSystem.IsLinux())
            {
                try
                {
                    return (uint)gettid();
                }
                catch (EntryPointNotFoundException)
                {
                    // glibc before 2.30 has no gettid wrapper; the managed id is the closest stable stand-in.
                }
            }

            return (uint)Environment.CurrentManagedThreadId;
        }
    }

    public string Name => _name.Value;

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int gettid();
}

/// <summary>A fixed identity, for deterministic tests and replays.</summary>
internal sealed record FixedHostProcess(uint ProcessId, uint CurrentThreadId, string Name) : IHostProcess;

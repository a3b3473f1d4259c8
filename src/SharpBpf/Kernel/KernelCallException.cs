using SharpBpf.Kernel.Internal;

namespace SharpBpf.Kernel;

/// <summary>
/// A BPF command the engine issues on the caller's behalf failed, e.g. BPF_PROG_TEST_RUN refusing an input
/// (a packet shorter than an Ethernet header, a context the program type does not take). Map element
/// operations do not throw this: they return <c>-errno</c> as the kernel does.
/// </summary>
internal sealed class KernelCallException : BpfException
{
    internal KernelCallException(string operation, int errno, string? detail = null)
        : base($"{operation} failed: {Internal.ErrnoText.Describe(errno)}{(detail is null ? "" : ". " + detail)}")
    {
        Operation = operation;
        Errno = Math.Abs(errno);
    }

    /// <summary>What was attempted, e.g. "BPF_PROG_TEST_RUN of 'xdp_count'".</summary>
    public string Operation { get; }

    /// <summary>The positive errno.</summary>
    public int Errno { get; }
}

namespace SharpBpf.Kernel;

/// <summary>
/// What BPF_PROG_TEST_RUN reported. With <c>repeat</c> N the kernel runs the program N times on one buffer, so
/// <see cref="DataOut"/> and <see cref="ReturnValue"/> are those of the last run and <see cref="DurationNs"/>
/// is the kernel's average per run.
/// </summary>
internal sealed class KernelRunResult
{
    internal KernelRunResult(uint returnValue, byte[] dataOut, byte[] contextOut, uint durationNs)
    {
        ReturnValue = returnValue;
        DataOut = dataOut;
        ContextOut = contextOut;
        DurationNs = durationNs;
    }

    /// <summary>r0 as the kernel reports it: always 32 bits (the test-run interface has no wider field), so a
    /// negative int return reads as its two's complement (-1 is 4294967295).</summary>
    public uint ReturnValue { get; }

    /// <summary>The packet after the run (grown or shrunk by adjust_head/tail); empty when no packet was given.</summary>
    public byte[] DataOut { get; }

    /// <summary>The context after the run: the kernel's ctx_out for packet programs given a context, and for
    /// SEC("syscall") programs the context buffer the kernel copies back; empty when the kernel gives none.</summary>
    public byte[] ContextOut { get; }

    /// <summary>Average nanoseconds per run as the kernel measured it. Program types whose test run takes no
    /// repeat count (syscall, raw tracepoint) report 0: the kernel does not time them.</summary>
    public uint DurationNs { get; }
}

namespace SharpBpf.Runtime;

/// <summary>
/// What a test run gives back, as the kernel's <c>BPF_PROG_TEST_RUN</c> reports it: r0 (32 bits for XDP, tc and
/// socket filters, 64 otherwise), the packet after the last run, the context after it, and the average run time.
/// </summary>
public sealed record ProgramRunResult(ulong ReturnValue, byte[] DataOut, byte[] ContextOut, long DurationNs);

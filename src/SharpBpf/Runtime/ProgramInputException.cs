namespace SharpBpf.Runtime;

/// <summary>
/// The input of a test run is refused, where the kernel's <c>BPF_PROG_TEST_RUN</c> refuses it too (a packet shorter
/// than an Ethernet header, a context with fields the kernel does not accept): the caller's data is at fault.
/// </summary>
public sealed class ProgramInputException(string program, string reason)
    : BpfException($"program '{program}': {reason}")
{
    /// <summary>The program whose input was refused.</summary>
    public string Program { get; } = program;
    /// <summary>Why, in words.</summary>
    public string Reason { get; } = reason;
}

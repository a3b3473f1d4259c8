namespace SharpBpf.Interpreter;

/// <summary>What a bpf-to-bpf call saves: where to return, the callee-saved r6–r9 and the caller's r10.</summary>
internal unsafe struct CallFrame
{
    public DecodedInstruction* ReturnTo;
    public ulong R6;
    public ulong R7;
    public ulong R8;
    public ulong R9;
    public ulong R10;
}

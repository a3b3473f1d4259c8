using System.Globalization;

namespace SharpBpf.Execution;

/// <summary>
/// A running program did something the engine refuses: an out-of-bounds access, an unknown helper, too deep a call
/// chain, a spent instruction budget. The message is built from the properties only, so the interpreter and the JIT
/// produce identical exceptions: <c>insn 5: out-of-bounds write of 4 bytes at 0x7f12345678</c>.
/// </summary>
public sealed class ProgramFaultException : BpfException
{
    /// <summary>Creates the exception; the message is built from these values only.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="instructionIndex">The faulting instruction's slot.</param>
    /// <param name="address">The address accessed, for memory faults.</param>
    /// <param name="size">The access size in bytes, for memory faults.</param>
    /// <param name="detail">Extra words for the message (a helper's name, a budget).</param>
    public ProgramFaultException(FaultKind kind, int instructionIndex, ulong address = 0, int size = 0, string? detail = null)
        : base(Format(kind, instructionIndex, address, size, detail))
    {
        Kind = kind;
        InstructionIndex = instructionIndex;
        Address = address;
        Size = size;
        Detail = detail;
    }

    /// <summary>What the program did wrong: an out-of-bounds access, a spent budget, an unknown helper, …</summary>
    public FaultKind Kind { get; }

    /// <summary>The slot index of the faulting instruction (the <c>call</c> for faults inside helpers).</summary>
    public int InstructionIndex { get; }

    /// <summary>The faulting address for memory faults; the helper id, kfunc id or call target value for call faults; else 0.</summary>
    public ulong Address { get; }

    /// <summary>The access size in bytes for memory faults; else 0.</summary>
    public int Size { get; }

    /// <summary>The helper's reason for <see cref="FaultKind.HelperFault"/>; else null.</summary>
    public string? Detail { get; }

    private static string Format(FaultKind kind, int pc, ulong address, int size, string? detail)
    {
        var what = kind switch
        {
            FaultKind.OutOfBoundsRead => $"out-of-bounds read of {size} bytes at 0x{Hex(address)}",
            FaultKind.OutOfBoundsWrite => $"out-of-bounds write of {size} bytes at 0x{Hex(address)}",
            FaultKind.ReadOnlyWrite => $"write of {size} bytes to read-only memory at 0x{Hex(address)}",
            FaultKind.MisalignedAtomic => $"misaligned atomic access of {size} bytes at 0x{Hex(address)}",
            FaultKind.UnknownHelper => $"unknown helper {address.ToString(CultureInfo.InvariantCulture)}",
            FaultKind.UnknownKfunc => $"unknown kfunc (BTF id {address.ToString(CultureInfo.InvariantCulture)})",
            FaultKind.InvalidCallTarget => $"invalid call target 0x{Hex(address)}",
            FaultKind.CallDepthExceeded => $"call depth exceeds {StackLayout.MaxCallFrames} frames",
            FaultKind.InstructionBudgetExhausted => "instruction budget exhausted",
            FaultKind.FellOffEnd => "fell off the end of the program",
            FaultKind.PacketContextRequired => "legacy packet load needs a packet region",
            FaultKind.HelperFault => $"helper fault: {detail}",
            _ => kind.ToString(),
        };
        return $"insn {pc.ToString(CultureInfo.InvariantCulture)}: {what}";
    }

    private static string Hex(ulong value) => value.ToString("x", CultureInfo.InvariantCulture);
}

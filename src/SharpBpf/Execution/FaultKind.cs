namespace SharpBpf.Execution;

/// <summary>Why a run stopped with a <see cref="ProgramFaultException"/>. Every engine reports the same kind for the same program.</summary>
public enum FaultKind
{
    /// <summary>A load (or a helper reading a pointer argument) touched memory outside every live region.</summary>
    OutOfBoundsRead,
    /// <summary>A store or atomic (or a helper writing through a pointer argument) touched memory outside every live region.</summary>
    OutOfBoundsWrite,
    /// <summary>A store or atomic hit a region the program may only read (a read-only context or packet).</summary>
    ReadOnlyWrite,
    /// <summary>An atomic operation at an address that is not a multiple of its size (the kernel refuses these too; x86 would split-lock).</summary>
    MisalignedAtomic,
    /// <summary>A <c>call</c> or <c>callx</c> named a helper id nobody registered (Address = the id).</summary>
    UnknownHelper,
    /// <summary>A <c>call kfunc</c>: kernel functions are not available (Address = the BTF id).</summary>
    UnknownKfunc,
    /// <summary>A <c>callx</c> or a helper callback named a subprogram slot that is not an instruction of the program (Address = the value).</summary>
    InvalidCallTarget,
    /// <summary>A bpf-to-bpf call or callback would need more than <see cref="StackLayout.MaxCallFrames"/> frames.</summary>
    CallDepthExceeded,
    /// <summary>The run executed its whole instruction budget.</summary>
    InstructionBudgetExhausted,
    /// <summary>Execution ran past the last instruction without <c>exit</c>.</summary>
    FellOffEnd,
    /// <summary>A legacy <c>ldabs</c>/<c>ldind</c> ran without a packet region in the run context.</summary>
    PacketContextRequired,
    /// <summary>A helper aborted the run (see <see cref="ProgramFaultException.Detail"/>).</summary>
    HelperFault,
}

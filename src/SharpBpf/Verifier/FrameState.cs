namespace SharpBpf.Verifier;

/// <summary>How a frame ends: by returning to its caller, or as a callback whose exit ends the path after its return check.</summary>
internal enum FrameExit : byte
{
    ReturnToCaller,
    SyncCallback,
    AsyncCallback,
}

/// <summary>
/// One function's registers and the values spilled to its 512-byte stack (the kernel's <c>bpf_func_state</c>).
/// A stack offset with no entry holds bytes of unknown value (reading them gives an unknown scalar).
/// </summary>
internal sealed class FrameState
{
    public const int RegisterCount = 11;
    public const int StackSize = 512;

    public FrameState(int function, int returnPc, FrameExit exit, int callSite = -1)
    {
        Function = function;
        ReturnPc = returnPc;
        Exit = exit;
        CallSite = callSite;
        Array.Fill(Registers, RegisterValue.NotInit);
    }

    private FrameState(FrameState other)
    {
        Function = other.Function;
        ReturnPc = other.ReturnPc;
        Exit = other.Exit;
        CallSite = other.CallSite;
        Array.Copy(other.Registers, Registers, RegisterCount);
        Spills = new SortedDictionary<int, (RegisterValue Value, int Size)>(other.Spills);
    }

    /// <summary>Index of the function in <see cref="VerifierInput.Functions"/>.</summary>
    public int Function { get; }

    /// <summary>Where the caller continues when this frame exits (-1 for a root or callback frame).</summary>
    public int ReturnPc { get; }

    public FrameExit Exit { get; }

    /// <summary>
    /// The instruction that entered this frame: the call, or the helper call handing over a callback (-1 for the
    /// program's or a timer callback's root). The caller's registers are compared with the liveness at that instruction.
    /// </summary>
    public int CallSite { get; }

    public RegisterValue[] Registers { get; } = new RegisterValue[RegisterCount];

    /// <summary>Spilled registers by stack offset (negative, from the frame pointer) with the spill's width.</summary>
    public SortedDictionary<int, (RegisterValue Value, int Size)> Spills { get; } = [];

    public FrameState Clone() => new(this);

    /// <summary>Forgets spills that a write of <paramref name="size"/> bytes at <paramref name="offset"/> overlaps.</summary>
    public void Clobber(int offset, int size)
    {
        List<int>? doomed = null;
        foreach (var (at, spill) in Spills)
        {
            if (at < offset + size && offset < at + spill.Size)
            {
                (doomed ??= []).Add(at);
            }
        }

        doomed?.ForEach(at => Spills.Remove(at));
    }
}

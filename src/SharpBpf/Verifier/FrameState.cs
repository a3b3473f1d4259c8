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

    public FrameState(int function, int returnPc, FrameExit exit)
    {
        Function = function;
        ReturnPc = returnPc;
        Exit = exit;
        Array.Fill(Registers, RegisterValue.NotInit);
    }

    private FrameState(FrameState other)
    {
        Function = other.Function;
        ReturnPc = other.ReturnPc;
        Exit = other.Exit;
        Array.Copy(other.Registers, Registers, RegisterCount);
        Spills = new SortedDictionary<int, (RegisterValue Value, int Size)>(other.Spills);
    }

    /// <summary>Index of the function in <see cref="VerifierInput.Functions"/>.</summary>
    public int Function { get; }

    /// <summary>Where the caller continues when this frame exits (-1 for a root or callback frame).</summary>
    public int ReturnPc { get; }

    public FrameExit Exit { get; }

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

    public bool Covers(FrameState other)
    {
        if (Function != other.Function || ReturnPc != other.ReturnPc || Exit != other.Exit)
        {
            return false;
        }

        for (var r = 0; r < RegisterCount; r++)
        {
            if (!Registers[r].Covers(other.Registers[r]))
            {
                return false;
            }
        }

        // An absent spill is "any bytes": it covers whatever the other path stored there, but a spill here
        // (a known value) only covers the same or a narrower spill there.
        foreach (var (at, spill) in Spills)
        {
            if (!other.Spills.TryGetValue(at, out var theirs) || theirs.Size != spill.Size || !spill.Value.Covers(theirs.Value))
            {
                return false;
            }
        }

        foreach (var (at, theirs) in other.Spills)
        {
            if (theirs.Value.IsPointer && !Spills.ContainsKey(at))
            {
                return false;
            }
        }

        return true;
    }
}

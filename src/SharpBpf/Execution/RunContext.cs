using SharpBpf.Helpers;

namespace SharpBpf.Execution;

/// <summary>
/// The inputs of one run in their general form: r1–r5 at entry, the memory regions (context, packet, buffers) the
/// program may use besides its stack, the entry slot (0, or a subprogram for timer callbacks), an optional budget
/// and the host object helpers see. The caller keeps every region's memory alive and fixed for the run.
/// A context is read, not changed, by a run, so one instance may serve several runs, also concurrently.
/// </summary>
internal sealed class RunContext
{
    private readonly List<MemoryRegion> _regions = [];

    public ulong R1 { get; set; }
    public ulong R2 { get; set; }
    public ulong R3 { get; set; }
    public ulong R4 { get; set; }
    public ulong R5 { get; set; }

    /// <summary>The slot execution starts at; must be an instruction start.</summary>
    public int EntrySlot { get; set; }

    /// <summary>
    /// A warm-up run (<c>BpfProgram.WarmUp</c>): it goes through every step of a run but enters the engine at slot -1,
    /// where the JIT's code returns at once, so nothing the program could do happens.
    /// </summary>
    internal bool IsWarmUp { get; set; }

    /// <summary>Overrides <see cref="EngineOptions.InstructionBudget"/> for this run.</summary>
    public long? InstructionBudget { get; set; }

    /// <summary>What <see cref="HelperCallContext.HostState"/> returns.</summary>
    public object? HostState { get; set; }

    /// <summary>The packet the legacy <c>ldabs</c>/<c>ldind</c> loads read (not made accessible to ordinary loads by itself).</summary>
    public MemoryRegion? Packet { get; set; }

    public IReadOnlyList<MemoryRegion> Regions => _regions;

    /// <summary>The regions without an enumerator allocation, for the engines.</summary>
    internal ReadOnlySpan<MemoryRegion> RegionSpan => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_regions);

    public RunContext AddRegion(nint address, long length, MemoryAccess access, RegionKind kind = RegionKind.Context)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _regions.Add(new MemoryRegion((ulong)address, (ulong)length, access, kind));
        return this;
    }

    /// <summary>Replaces region <paramref name="index"/> (in the order added): a context reused for another input.</summary>
    internal void ReplaceRegion(int index, in MemoryRegion region) => _regions[index] = region;

    public RunContext WithArguments(ulong r1 = 0, ulong r2 = 0, ulong r3 = 0, ulong r4 = 0, ulong r5 = 0)
    {
        (R1, R2, R3, R4, R5) = (r1, r2, r3, r4, r5);
        return this;
    }
}

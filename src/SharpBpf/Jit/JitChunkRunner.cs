using System.Runtime.CompilerServices;
using SharpBpf.Execution;

namespace SharpBpf.Jit;

/// <summary>
/// Runs a program compiled as several methods (<see cref="ChunkPlan"/>): sets up the register file as the whole-program
/// method's prologue sets up its locals, then calls chunk after chunk, each returning where control goes next. It has
/// the <see cref="CompiledCode"/> signature, so <see cref="JitProgram"/> runs either form the same way.
/// </summary>
internal sealed unsafe class JitChunkRunner
{
    private readonly ChunkCode[] _chunks;
    private readonly int[] _chunkOfSlot;

    /// <param name="starts">Each chunk's first slot, ascending from 0; the last chunk also holds the end sentinel.</param>
    public JitChunkRunner(ChunkCode[] chunks, int[] starts, int programLength)
    {
        _chunks = chunks;
        _chunkOfSlot = new int[programLength + 1];
        for (var chunk = 0; chunk < starts.Length; chunk++)
        {
            var end = chunk + 1 < starts.Length ? starts[chunk + 1] : programLength + 1;
            _chunkOfSlot.AsSpan(starts[chunk], end - starts[chunk]).Fill(chunk);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Run(ExecutionState state, int entrySlot, int depth, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        if (entrySlot < 0)
        {
            WarmUp();
            return 0;
        }

        var frames = stackalloc byte[StackLayout.MaxCallFrames * JitCompiler.SavedFrameSize];
        var stackLow = state.StackLow(depth);
        var registers = new JitRegisterFile
        {
            R1 = r1,
            R2 = r2,
            R3 = r3,
            R4 = r4,
            R5 = r5,
            R10 = state.FrameTop(depth),
            Remaining = state.Remaining,
            Depth = depth,
            DepthLimit = state.CallDepthLimit,
            StackLow = stackLow,
            StackLength = state.StackTop - stackLow,
            Frames = (nint)frames,
        };
        var slot = entrySlot;
        do
        {
            slot = _chunks[_chunkOfSlot[slot]](state, slot, depth, ref registers);
        }
        while (slot >= 0);

        return registers.R0;
    }

    /// <summary>Has the runtime compile every chunk now (entry slot -1 returns at once), not in the first run.</summary>
    private void WarmUp()
    {
        var unused = default(JitRegisterFile);
        foreach (var chunk in _chunks)
        {
            chunk(null!, -1, 0, ref unused);
        }
    }
}

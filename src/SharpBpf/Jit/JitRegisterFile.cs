using System.Reflection;
using System.Runtime.InteropServices;

namespace SharpBpf.Jit;

/// <summary>
/// What the methods of a split program (<see cref="ChunkPlan"/>) hand each other: a chunk loads these into its IL
/// locals when it is entered and stores the ones that change back when it leaves. One per invocation, on the
/// <see cref="JitChunkRunner"/>'s stack.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct JitRegisterFile
{
    public ulong R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10;
    public long Remaining;
    public int Depth;
    public int DepthLimit;
    public ulong StackLow;
    public ulong StackLength;

    /// <summary>The saved-frame block of bpf-to-bpf calls (see JitCompiler.SavedFrameSize).</summary>
    public nint Frames;

    public static readonly FieldInfo[] RegisterFields = [.. Enumerable.Range(0, 11).Select(i => Field($"R{i}"))];

    public static FieldInfo Field(string name) => typeof(JitRegisterFile).GetField(name)!;
}

using SharpBpf.Execution;

namespace SharpBpf.Jit;

/// <summary>The signature of a compiled program, bound to its <see cref="JitProgram"/>: the <c>Execute</c> hook's.</summary>
internal delegate ulong CompiledCode(ExecutionState state, int entrySlot, int depth, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5);

/// <summary>
/// One chunk of a split program, bound to its <see cref="JitProgram"/>: runs from <paramref name="entrySlot"/> until
/// control leaves the chunk and returns the slot to go on at, or -1 when the program returned (r0 in the file).
/// </summary>
internal delegate int ChunkCode(ExecutionState state, int entrySlot, int baseDepth, ref JitRegisterFile registers);

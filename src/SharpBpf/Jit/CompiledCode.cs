using SharpBpf.Execution;

namespace SharpBpf.Jit;

/// <summary>The signature of a compiled program, bound to its <see cref="JitProgram"/>: the <c>Execute</c> hook's.</summary>
internal delegate ulong CompiledCode(ExecutionState state, int entrySlot, int depth, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5);

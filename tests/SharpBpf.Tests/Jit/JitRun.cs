using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Isa;
using SharpBpf.Jit;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Jit;

/// <summary>Run helpers for JIT tests (the instruction builders are the interpreter tests' <c>Insn</c>).</summary>
internal static class JitRun
{
    public static readonly JitEngine Engine = new();

    public static ulong Run(Instruction[] program, byte[]? memory = null, HelperRegistry? helpers = null,
        ExecutionMode mode = ExecutionMode.Checked, long budget = 1_000_000) =>
        Engine.Prepare(program, Options(mode, helpers, budget)).Run(memory ?? []);

    /// <summary>Runs in both modes, asserts they agree, returns r0.</summary>
    public static ulong RunBoth(Instruction[] program, byte[]? memory = null, HelperRegistry? helpers = null)
    {
        var checkedMemory = memory?.ToArray();
        var result = Run(program, checkedMemory, helpers);
        var uncheckedMemory = memory?.ToArray();
        Assert.Equal(result, Run(program, uncheckedMemory, helpers, ExecutionMode.Unchecked));
        Assert.Equal(checkedMemory, uncheckedMemory);
        checkedMemory?.CopyTo(memory!, 0);
        return result;
    }

    public static ProgramFaultException Fault(Instruction[] program, byte[]? memory = null, HelperRegistry? helpers = null, long budget = 1_000_000) =>
        Assert.Throws<ProgramFaultException>(() => Run(program, memory, helpers, budget: budget));
}

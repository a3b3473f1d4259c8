using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Interpreter;
using SharpBpf.Isa;

namespace SharpBpf.Tests.Interpreter;

/// <summary>Terse instruction builders and run helpers for the interpreter tests.</summary>
internal static class Insn
{
    public static Instruction I(byte opcode, int dst = 0, int src = 0, int off = 0, int imm = 0) =>
        new(opcode, (byte)dst, (byte)src, (short)off, imm);

    public static Instruction[] Lddw(int dst, ulong value, int src = 0) =>
    [
        new(Opcodes.Lddw, (byte)dst, (byte)src, 0, (int)(uint)value),
        new(0, 0, 0, 0, (int)(uint)(value >> 32)),
    ];

    public static Instruction Mov(int dst, int imm) => I(Opcodes.Mov64Imm, dst, imm: imm);
    public static Instruction MovReg(int dst, int src) => I(Opcodes.Mov64Reg, dst, src);
    public static Instruction Add(int dst, int imm) => I(Opcodes.Add64Imm, dst, imm: imm);
    public static Instruction AddReg(int dst, int src) => I(Opcodes.Add64Reg, dst, src);
    public static Instruction CallHelper(int id) => I(Opcodes.Call, imm: id);
    public static Instruction CallLocal(int relative) => I(Opcodes.Call, src: 1, imm: relative);
    public static Instruction Exit() => I(Opcodes.Exit);

    public static Instruction[] P(params object[] parts)
    {
        var list = new List<Instruction>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case Instruction insn: list.Add(insn); break;
                case Instruction[] many: list.AddRange(many); break;
                default: throw new ArgumentException($"unexpected part {part}");
            }
        }

        return [.. list];
    }

    public static EngineOptions Options(ExecutionMode mode = ExecutionMode.Checked, HelperRegistry? helpers = null, long budget = 1_000_000) =>
        new() { Mode = mode, Helpers = helpers, InstructionBudget = budget };

    public static ulong Run(Instruction[] program, byte[]? memory = null, HelperRegistry? helpers = null,
        ExecutionMode mode = ExecutionMode.Checked, long budget = 1_000_000) =>
        InterpreterEngine.Instance.Prepare(program, Options(mode, helpers, budget)).Run(memory ?? []);

    /// <summary>Runs in both modes, asserts they agree, returns r0.</summary>
    public static ulong RunBoth(Instruction[] program, byte[]? memory = null, HelperRegistry? helpers = null)
    {
        var checkedMemory = memory?.ToArray();
        var result = Run(program, checkedMemory, helpers);
        var uncheckedMemory = memory?.ToArray();
        Assert.Equal(result, Run(program, uncheckedMemory, helpers, ExecutionMode.Unchecked));
        Assert.Equal(checkedMemory, uncheckedMemory);
        if (memory is not null)
        {
            checkedMemory!.CopyTo(memory, 0);
        }

        return result;
    }

    public static ProgramFaultException Fault(Instruction[] program, byte[]? memory = null, HelperRegistry? helpers = null, long budget = 1_000_000) =>
        Assert.Throws<ProgramFaultException>(() => Run(program, memory, helpers, budget: budget));
}

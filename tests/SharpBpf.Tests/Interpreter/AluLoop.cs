using SharpBpf.Isa;

namespace SharpBpf.Tests.Interpreter;

/// <summary>The benchmark's ALU loop (bench/SharpBpf.Benchmarks/AluLoopProgram.cs, Programs/alu-loop.data), for exact budget and result checks.</summary>
internal static class AluLoop
{
    public const int ExecutedInstructions = 3 + (9 * 10_000) + 1;
    public const ulong Result = 0x54558a6170fefc1dUL;

    public static Instruction[] Build() =>
    [
        new(Opcodes.Mov64Imm, 0, 0, 0, 0),
        new(Opcodes.Mov64Imm, 1, 0, 0, 10_000),
        new(Opcodes.Mov64Imm, 2, 0, 0, 1),
        new(Opcodes.Add64Reg, 0, 2, 0, 0),
        new(Opcodes.Xor64Imm, 0, 0, 0, 0x5a),
        new(Opcodes.Lsh64Imm, 2, 0, 0, 1),
        new(Opcodes.Or64Imm, 2, 0, 0, 1),
        new(Opcodes.And64Imm, 2, 0, 0, 0xffff),
        new(Opcodes.Mul64Imm, 0, 0, 0, 3),
        new(Opcodes.Rsh64Imm, 0, 0, 0, 1),
        new(Opcodes.Sub64Imm, 1, 0, 0, 1),
        new(Opcodes.JneImm, 1, 0, -9, 0),
        new(Opcodes.Exit, 0, 0, 0, 0),
    ];
}

using SharpBpf.Isa;

namespace SharpBpf.Benchmarks;

/// <summary>
/// The tight ALU loop of issue 2 (same program as <c>Programs/alu-loop.data</c>): 10,000 iterations of an
/// 8-instruction ALU body plus the loop branch. Built from instructions here until the assembler can load the file.
/// </summary>
public static class AluLoopProgram
{
    public const int Iterations = 10_000;

    /// <summary>3 set-up instructions, 9 per iteration, 1 exit.</summary>
    public const int ExecutedInstructions = 3 + (9 * Iterations) + 1;

    public static Instruction[] Build() =>
    [
        new(Opcodes.Mov64Imm, 0, 0, 0, 0),            // mov %r0, 0
        new(Opcodes.Mov64Imm, 1, 0, 0, Iterations),   // mov %r1, 10000
        new(Opcodes.Mov64Imm, 2, 0, 0, 1),            // mov %r2, 1
        new(Opcodes.Add64Reg, 0, 2, 0, 0),            // loop: add %r0, %r2
        new(Opcodes.Xor64Imm, 0, 0, 0, 0x5a),         // xor %r0, 0x5a
        new(Opcodes.Lsh64Imm, 2, 0, 0, 1),            // lsh %r2, 1
        new(Opcodes.Or64Imm, 2, 0, 0, 1),             // or %r2, 1
        new(Opcodes.And64Imm, 2, 0, 0, 0xffff),       // and %r2, 0xffff
        new(Opcodes.Mul64Imm, 0, 0, 0, 3),            // mul %r0, 3
        new(Opcodes.Rsh64Imm, 0, 0, 0, 1),            // rsh %r0, 1
        new(Opcodes.Sub64Imm, 1, 0, 0, 1),            // sub %r1, 1
        new(Opcodes.JneImm, 1, 0, -9, 0),             // jne %r1, 0, loop
        new(Opcodes.Exit, 0, 0, 0, 0),                // exit
    ];
}

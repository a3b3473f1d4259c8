using SharpBpf.Isa;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Interpreter;

public class AtomicTests
{
    private const ulong Initial = 0x0f0f_0f0f_f0f0_f0f0UL;
    private const ulong Operand = 0x1111_1111_3333_3333UL;

    /// <summary>Stores Initial at r10-8, runs the atomic with r1 = Operand and r0 = r0Value, returns (memory, r0, r1).</summary>
    private static (ulong Memory, ulong R0, ulong R1) Atomic(byte opcode, AtomicOperation operation, ulong r0Value = 0)
    {
        var memory = new byte[24];
        var program = P(
            Lddw(2, Initial), I(Opcodes.StxDw, 10, 2, -8),
            Lddw(1, Operand), Lddw(0, r0Value),
            I(opcode, 10, 1, -8, (int)operation),
            I(Opcodes.LdxDw, 2, 10, -8),
            I(Opcodes.StxDw, 6, 2, 0), I(Opcodes.StxDw, 6, 0, 8), I(Opcodes.StxDw, 6, 1, 16),
            Exit());
        // r6 = buffer (r1 is the operand register, so keep the buffer address in r6).
        program = P(MovReg(6, 1), program);
        RunBoth(program, memory);
        return (BitConverter.ToUInt64(memory, 0), BitConverter.ToUInt64(memory, 8), BitConverter.ToUInt64(memory, 16));
    }

    [Theory]
    [InlineData(AtomicOperation.Add, Initial + Operand, Operand)]
    [InlineData(AtomicOperation.Or, Initial | Operand, Operand)]
    [InlineData(AtomicOperation.And, Initial & Operand, Operand)]
    [InlineData(AtomicOperation.Xor, Initial ^ Operand, Operand)]
    [InlineData(AtomicOperation.FetchAdd, Initial + Operand, Initial)]
    [InlineData(AtomicOperation.FetchOr, Initial | Operand, Initial)]
    [InlineData(AtomicOperation.FetchAnd, Initial & Operand, Initial)]
    [InlineData(AtomicOperation.FetchXor, Initial ^ Operand, Initial)]
    [InlineData(AtomicOperation.Xchg, Operand, Initial)]
    public void Atomic64(object operation, ulong memory, ulong src)
    {
        var result = Atomic(Opcodes.AtomicDw, (AtomicOperation)operation, r0Value: 7);
        Assert.Equal((memory, 7UL, src), result);
    }

    [Theory]
    [InlineData(AtomicOperation.Add, unchecked(0xf0f0_f0f0U + 0x3333_3333U), Operand)]
    [InlineData(AtomicOperation.Or, 0xf0f0_f0f0U | 0x3333_3333U, Operand)]
    [InlineData(AtomicOperation.And, 0xf0f0_f0f0U & 0x3333_3333U, Operand)]
    [InlineData(AtomicOperation.Xor, 0xf0f0_f0f0U ^ 0x3333_3333U, Operand)]
    [InlineData(AtomicOperation.FetchAdd, unchecked(0xf0f0_f0f0U + 0x3333_3333U), 0xf0f0_f0f0UL)] // old value zero-extended
    [InlineData(AtomicOperation.FetchOr, 0xf0f0_f0f0U | 0x3333_3333U, 0xf0f0_f0f0UL)]
    [InlineData(AtomicOperation.FetchAnd, 0xf0f0_f0f0U & 0x3333_3333U, 0xf0f0_f0f0UL)]
    [InlineData(AtomicOperation.FetchXor, 0xf0f0_f0f0U ^ 0x3333_3333U, 0xf0f0_f0f0UL)]
    [InlineData(AtomicOperation.Xchg, 0x3333_3333U, 0xf0f0_f0f0UL)]
    public void Atomic32_works_on_the_low_word_only(object operation, uint lowWord, ulong src)
    {
        var result = Atomic(Opcodes.AtomicW, (AtomicOperation)operation, r0Value: 7);
        Assert.Equal(((Initial & 0xffff_ffff_0000_0000UL) | lowWord, 7UL, src), result);
    }

    [Fact]
    public void Cmpxchg64_swaps_when_r0_matches_and_returns_old_in_r0()
    {
        Assert.Equal((Operand, Initial, Operand), Atomic(Opcodes.AtomicDw, AtomicOperation.CmpXchg, Initial));
        Assert.Equal((Initial, Initial, Operand), Atomic(Opcodes.AtomicDw, AtomicOperation.CmpXchg, 5));
    }

    [Fact]
    public void Cmpxchg32_compares_the_low_halves()
    {
        const ulong upper = Initial & 0xffff_ffff_0000_0000UL;
        Assert.Equal((upper | 0x3333_3333UL, 0xf0f0_f0f0UL, Operand),
            Atomic(Opcodes.AtomicW, AtomicOperation.CmpXchg, 0xdead_0000_f0f0_f0f0UL));
        Assert.Equal((Initial, 0xf0f0_f0f0UL, Operand), Atomic(Opcodes.AtomicW, AtomicOperation.CmpXchg, 1));
    }
}

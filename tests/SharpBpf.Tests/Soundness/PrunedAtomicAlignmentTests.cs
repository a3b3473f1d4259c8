using SharpBpf.Verifier;

namespace SharpBpf.Tests.Soundness;

/// <summary>
/// Found by the 10-million-program fuzz after the exploration merge (seeds 20261247 and 20261268): a scalar added to
/// a stack pointer was not marked precise, so the path where it is any multiple of 4 up to 12 was pruned against the
/// one where it was the constant 12, and the 8-byte atomic through the pointer was proven aligned on the constant's
/// word alone; checked mode then faulted MisalignedAtomic on it. Pointer arithmetic marks the scalar precise now, as
/// the kernel's adjust_reg_min_max_vals does. With known bits (tnums) the verifier now sees, as Linux does, that the
/// unknown path's offset (0x0; 0xc) from fp-124 is not 8-byte aligned and refuses the program (the stack is strict).
/// </summary>
public class PrunedAtomicAlignmentTests
{
    /// <summary>Program 11101 of seed 20261247 (disassembly in the commit that fixed it): the atomic is slot 35.</summary>
    private const string FoundProgram =
        "BF16000000000000B707000000000000B70800000000000061A7CCFF0000000079A7F8FF0000000055070A001F000000620AFCFF07000000" +
        "7A0AD0FFED9ED52FBFA200000000000007020000FCFFFFFFBFA300000000000007030000D0FFFFFF18110000000000000000000000000000" +
        "B7040000000000008500000002000000B7070000340000003507040021000000BFA80000000000000708000080FFFFFF0F78000000000000" +
        "7A08000090FEFFFF616708000000000061620000000000006163040000000000BF2400000000000007040000190000002D34020000000000" +
        "7927010000000000692717000000000079A7D0FF00000000570700000C000000BFA80000000000000708000084FFFFFF0F78000000000000" +
        "DB78000001000000BF7000000000000057000000030000009500000000000000";

    [Fact]
    public void The_atomic_is_refused_when_another_path_reaches_it_misaligned()
    {
        using var world = FuzzWorld.ForGeneratedPrograms();
        var code = SharpBpf.Isa.Instruction.Decode(Convert.FromHexString(FoundProgram));
        var result = ProgramVerifier.Verify(world.InputForGenerated(code));
        Assert.False(result.Accepted, "the misaligned atomic was accepted");
        Assert.Equal((int?)35, result.InstructionIndex);
        Assert.Equal("misaligned stack access off (0x0; 0xc)+-124+0 size 8", result.Error);
    }
}

using SharpBpf.Isa;
using SharpBpf.Verifier;
using static SharpBpf.Tests.Verifier.VerifierHarness;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// Malformed bytecode is a verifier rejection with the kernel's words (measured on Linux 6.18.44 through
/// BPF_PROG_LOAD with raw instructions), not bad input: the passes before the walk in the kernel's order, then the
/// field checks where a path reaches the instruction.
/// </summary>
public class StructureRuleTests
{
    private static Instruction I(byte opcode, byte dst = 0, byte src = 0, short off = 0, int imm = 0) => new(opcode, dst, src, off, imm);

    private static readonly Instruction MovR0Zero = I(0xb7);
    private static readonly Instruction Exit = I(0x95);

    // Public for xunit, and a public member cannot name the internal Instruction type: the cases travel as object[].
    public static IEnumerable<object[]> Rejected => RejectedCases;

    private static TheoryData<string, Instruction[], string, int> RejectedCases => new()
    {
        { "unknown opcode", [I(0xff), MovR0Zero, Exit], "unknown opcode ff", 0 },
        { "mov with imm", [I(0xbf, 0, 1, 0, 1), Exit], "BPF_MOV uses reserved fields", 0 },
        { "ldx with imm", [I(0x79, 0, 1, 0, 5), Exit], "BPF_LDX uses reserved fields", 0 },
        { "st with src", [I(0x7a, 10, 1, -8), MovR0Zero, Exit], "BPF_ST uses reserved fields", 0 },
        { "call with off", [I(0x85, 0, 0, 1, 7), MovR0Zero, Exit], "BPF_CALL uses reserved fields", 0 },
        { "ja with imm", [I(0x05, 0, 0, 0, 1), MovR0Zero, Exit], "BPF_JA uses reserved fields", 0 },
        { "jeq X with imm", [MovR0Zero, I(0x1d, 0, 0, 0, 1), Exit], "BPF_JMP/JMP32 uses reserved fields", 1 },
        { "neg with src", [MovR0Zero, I(0x87, 0, 1), Exit], "BPF_NEG uses reserved fields", 1 },
        { "r11", [I(0xb7, 11), MovR0Zero, Exit], "R11 is invalid", 0 },
        { "r12 source", [I(0xbf, 0, 12), Exit], "R12 is invalid", 0 },
        { "jump past the end", [I(0x05, 0, 0, 5), MovR0Zero, Exit], "jump out of range from insn 0 to 6", 0 },
        { "jump before the start", [MovR0Zero, I(0x05, 0, 0, -3), Exit], "jump out of range from insn 1 to -1", 1 },
        { "lddw without second slot", [MovR0Zero, Exit, I(0x18, 0, 0, 0, 1)], "last insn is not an exit or jmp", 2 },
        { "lddw with a bad second slot", [I(0x18, 0, 0, 0, 1), I(0, 1), Exit], "invalid bpf_ld_imm64 insn", 0 },
        { "lddw with an unknown source", [I(0x18, 0, 7, 0, 1), I(0), Exit], "unrecognized bpf_ld_imm64 insn", 0 },
        { "falls off the end", [MovR0Zero, Exit, MovR0Zero], "last insn is not an exit or jmp", 2 },
        { "falls into a subprogram", [I(0x85, 0, 1, 0, 1), MovR0Zero, I(0xb7, 0, 0, 0, 1), Exit], "last insn is not an exit or jmp", 1 },
        { "jumped over", [MovR0Zero, I(0x05, 0, 0, 1), I(0xb7, 0, 0, 0, 1), Exit], "unreachable insn 2", 2 },
        { "after exit", [MovR0Zero, Exit, I(0xb7, 0, 0, 0, 1), Exit], "unreachable insn 2", 2 },
        { "into the middle of lddw", [I(0x05, 0, 0, 1), I(0x18, 0, 0, 0, 1), I(0), Exit], "unreachable insn 1", 1 },
        { "unknown opcode is found before unreachable code", [MovR0Zero, Exit, I(0xff), Exit], "unknown opcode ff", 2 },
        { "jump range is found before unknown opcodes", [I(0xff), I(0x05, 0, 0, 5), Exit], "jump out of range from insn 1 to 7", 1 },
        { "div by immediate 0", [MovR0Zero, I(0x37), Exit], "div by zero", 1 },
        { "32-bit mod by immediate 0", [MovR0Zero, I(0x94), Exit], "div by zero", 1 },
        { "sdiv by immediate 0", [MovR0Zero, I(0x37, 0, 0, 1), Exit], "div by zero", 1 },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Malformed_programs_are_rejected_with_the_kernels_words(string what, object code, string reason, int insn)
    {
        var result = VerifyRaw((Instruction[])code);
        Assert.Equal((what, false, reason, (int?)insn), (what, result.Accepted, result.Error, result.InstructionIndex));
    }

    [Fact]
    public void Division_by_a_register_known_to_be_zero_is_allowed()
    {
        Assert.True(VerifyRaw(MovR0Zero, I(0xb7, 1), I(0x3f, 0, 1), I(0x9f, 0, 1), Exit).Accepted);
    }

    [Fact]
    public void Reserved_fields_only_a_dead_branch_reaches_are_not_judged()
    {
        // r0 = 0; if r0 != 0 goto +1 is never taken: the kernel's walk never reaches slot 3.
        Assert.True(VerifyRaw(MovR0Zero, I(0x55, 0, 0, 1), Exit, I(0xbf, 0, 1, 0, 1), Exit).Accepted);
        Assert.Equal("BPF_MOV uses reserved fields", VerifyRaw(MovR0Zero, I(0x15, 0, 0, 1), Exit, I(0xbf, 0, 1, 0, 1), Exit).Error);
    }

    [Fact]
    public void An_empty_program_is_rejected()
    {
        Assert.False(VerifyRaw().Accepted);
    }
}

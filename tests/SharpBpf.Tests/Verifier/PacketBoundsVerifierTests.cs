using SharpBpf.Verifier;
using static SharpBpf.Tests.Verifier.VerifierHarness;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// Packet pointers learn their readable bytes (the kernel's r=) only from 64-bit unsigned comparisons with data_end
/// (or meta with data). Every verdict and index here was measured on Linux 6.18.44 with the same instructions
/// loaded as an XDP program (xdp_md: data at 0, data_end at 4, data_meta at 8).
/// </summary>
public class PacketBoundsVerifierTests
{
    /// <summary>r2 = data, r3 = data_end, r4 = data + 14, r0 = 0; then the comparison and a read through r2 at +off.</summary>
    private static VerificationResult Check(string comparison, bool readOnTakenSide, int readOffset, int size = 1)
    {
        string read = $"ldx{SizeSuffix(size)} %r0, [%r2{readOffset:+0;-0}]";
        string program = readOnTakenSide
            ? $"ldxw %r2, [%r1+0]\nldxw %r3, [%r1+4]\nmov %r0, 0\nmov %r4, %r2\nadd %r4, 14\n{comparison} +1\nexit\n{read}\nexit"
            : $"ldxw %r2, [%r1+0]\nldxw %r3, [%r1+4]\nmov %r0, 0\nmov %r4, %r2\nadd %r4, 14\n{comparison} +1\n{read}\nexit";
        return Verify(program, [], [TimerMap]);
    }

    private static string SizeSuffix(int size) => size switch { 1 => "b", 2 => "h", 4 => "w", _ => "dw" };

    // pkt + 14 <= end proves 14 bytes; pkt + 14 < end proves 15, whichever operand order and jump kind says it.
    [Theory]
    [InlineData("jgt %r4, %r3,", false, 14)]
    [InlineData("jge %r4, %r3,", false, 15)]
    [InlineData("jlt %r4, %r3,", true, 15)]
    [InlineData("jle %r4, %r3,", true, 14)]
    [InlineData("jgt %r3, %r4,", true, 15)]
    [InlineData("jge %r3, %r4,", true, 14)]
    [InlineData("jlt %r3, %r4,", false, 14)]
    [InlineData("jle %r3, %r4,", false, 15)]
    public void A_comparison_with_data_end_proves_exactly_the_kernels_range(string comparison, bool takenSide, int provenBytes)
    {
        var last = Check(comparison, takenSide, provenBytes - 1);
        Assert.True(last.Accepted, last.Log);
        var beyond = Check(comparison, takenSide, provenBytes);
        Assert.Equal(("R2 offset is outside of the packet", (int?)(takenSide ? 7 : 6)), (beyond.Error, beyond.InstructionIndex));
        Assert.Contains($"invalid access to packet, off={provenBytes} size=1, R2(id=0,off={provenBytes},r={provenBytes})\nR2 offset", beyond.Log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jne %r4, %r3,")]
    [InlineData("jsgt %r4, %r3,")]
    [InlineData("jgt32 %r4, %r3,")]
    public void Equality_signed_and_32_bit_comparisons_prove_nothing(string comparison)
    {
        var result = Check(comparison, false, 13);
        Assert.Equal(("R2 offset is outside of the packet", (int?)6), (result.Error, result.InstructionIndex));
        Assert.Contains("off=13 size=1, R2(id=0,off=13,r=0)", result.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unchecked_read_is_refused_and_a_negative_offset_is_outside_too()
    {
        var unchecked_ = Verify("ldxw %r2, [%r1+0]\nldxb %r0, [%r2+0]\nexit", [], [TimerMap]);
        Assert.Equal(("R2 offset is outside of the packet", (int?)1), (unchecked_.Error, unchecked_.InstructionIndex));
        var before = Check("jgt %r4, %r3,", false, -1);
        Assert.Equal(("R2 offset is outside of the packet", (int?)6), (before.Error, before.InstructionIndex));
    }

    [Fact]
    public void Every_copy_of_the_checked_pointer_learns_the_range_and_a_wider_read_needs_the_bytes()
    {
        var viaEnd = Verify("""
            ldxw %r2, [%r1+0]
            ldxw %r3, [%r1+4]
            mov %r0, 0
            mov %r5, %r2
            mov %r4, %r2
            add %r4, 14
            jgt %r4, %r3, +2
            ldxw %r0, [%r5+10]
            ldxb %r0, [%r4-1]
            exit
            """, [], [TimerMap]);
        Assert.True(viaEnd.Accepted, viaEnd.Log);
        var wide = Check("jgt %r4, %r3,", false, 12, size: 4);
        Assert.Equal(("R2 offset is outside of the packet", (int?)6), (wide.Error, wide.InstructionIndex));
    }

    [Fact]
    public void A_pointer_known_beyond_the_end_decides_its_next_comparison()
    {
        // On the side where data+14 > end, "data+14 > end" again cannot fail: the read after it is never reached.
        var result = Verify("""
            ldxw %r2, [%r1+0]
            ldxw %r3, [%r1+4]
            mov %r0, 0
            mov %r4, %r2
            add %r4, 14
            jgt %r4, %r3, +1
            exit
            jgt %r4, %r3, +1
            ldxb %r0, [%r2+100]
            exit
            """, [], [TimerMap]);
        Assert.True(result.Accepted, result.Log);
    }

    [Fact]
    public void Meta_pointers_learn_their_range_from_data()
    {
        var result = Verify("""
            ldxw %r2, [%r1+0]
            ldxw %r5, [%r1+8]
            mov %r0, 0
            mov %r6, %r5
            add %r6, 4
            jgt %r6, %r2, +1
            ldxw %r0, [%r5+0]
            exit
            """, [], [TimerMap]);
        Assert.True(result.Accepted, result.Log);
        var unchecked_ = Verify("ldxw %r5, [%r1+8]\nldxw %r0, [%r5+0]\nexit", [], [TimerMap]);
        Assert.Equal(("R5 offset is outside of the packet", (int?)1), (unchecked_.Error, unchecked_.InstructionIndex));
    }

    [Fact]
    public void A_variable_offset_pointer_proves_its_own_bytes_under_a_new_id()
    {
        const string prefix = """
            ldxw %r2, [%r1+0]
            ldxw %r3, [%r1+4]
            mov %r0, 0
            ldxw %r5, [%r1+12]
            and %r5, 255
            add %r5, %r2
            mov %r4, %r5
            add %r4, 4
            jgt %r4, %r3, +1
            """;
        var own = Verify(prefix + "\nldxw %r0, [%r5+0]\nexit", [], [TimerMap]);
        Assert.True(own.Accepted, own.Log);
        // data itself (id 0) learned nothing from the comparison of the variable pointer.
        var other = Verify(prefix + "\nldxb %r0, [%r2+0]\nexit", [], [TimerMap]);
        Assert.Equal(("R2 offset is outside of the packet", (int?)9), (other.Error, other.InstructionIndex));
        Assert.Contains("R2(id=0,off=0,r=0)", other.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pointer_that_may_lie_beyond_0xffff_proves_nothing()
    {
        const string template = """
            ldxw %r2, [%r1+0]
            ldxw %r3, [%r1+4]
            mov %r0, 0
            mov %r4, %r2
            add %r4, {0}
            jgt %r4, %r3, +1
            ldxb %r0, [%r2+0]
            exit
            """;
        Assert.True(Verify(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, 0xffff), [], [TimerMap]).Accepted);
        var far = Verify(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, 0x10000), [], [TimerMap]);
        Assert.Equal(("R2 offset is outside of the packet", (int?)6), (far.Error, far.InstructionIndex));
    }

    [Fact]
    public void A_helper_that_moves_the_packet_turns_every_packet_pointer_into_a_number()
    {
        // bpf_xdp_adjust_head (44): the pointer kept in r7 and the one spilled to the stack are numbers afterwards.
        const string prefix = """
            ldxw %r2, [%r1+0]
            ldxw %r3, [%r1+4]
            mov %r6, %r1
            mov %r4, %r2
            add %r4, 14
            jgt %r4, %r3, +8
            mov %r7, %r2
            stxdw [%r10-8], %r2
            mov %r1, %r6
            mov %r2, 0
            call {0}
            ldxdw %r8, [%r10-8]
            ldxb %r0, [%r7+0]
            exit
            mov %r0, 0
            exit
            """;
        var adjusted = Verify(string.Format(System.Globalization.CultureInfo.InvariantCulture, prefix, 44), [], [TimerMap]);
        Assert.Equal(("R7 invalid mem access 'scalar'", (int?)12), (adjusted.Error, adjusted.InstructionIndex));
        // bpf_get_prandom_u32 (7) leaves the packet alone.
        var random = Verify(string.Format(System.Globalization.CultureInfo.InvariantCulture, prefix, 7), [], [TimerMap]);
        Assert.True(random.Accepted, random.Log);
    }

    [Fact]
    public void Only_program_types_that_may_write_the_packet_store_into_it()
    {
        const string program = """
            ldxw %r2, [%r1+0]
            ldxw %r3, [%r1+4]
            mov %r0, 0
            mov %r4, %r2
            add %r4, 1
            jgt %r4, %r3, +1
            stb [%r2+0], 1
            exit
            """;
        Assert.True(Verify(program, [], [TimerMap]).Accepted);
        var readOnly = Verify(program, [], [TimerMap], context: new ContextLayout(24, 0, 4, 8) { PacketWritable = false });
        Assert.Equal(("cannot write into packet", (int?)6), (readOnly.Error, readOnly.InstructionIndex));
        var atomic = Verify(program.Replace("stb [%r2+0], 1", "lock add32 [%r2+0], %r0", StringComparison.Ordinal), [], [TimerMap]);
        Assert.Equal(("BPF_ATOMIC stores into R2 pkt is not allowed", (int?)6), (atomic.Error, atomic.InstructionIndex));
    }
}

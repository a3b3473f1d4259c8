using static SharpBpf.Tests.Verifier.VerifierHarness;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// Which ALU operations a privileged program may apply to which pointers, and the bounds a variable offset must have
/// before a map value is accessed through it. Each verdict and index was measured on Linux 6.18.44 as root.
/// </summary>
public class PointerArithmeticVerifierTests
{
    [Theory]
    [InlineData("and %r2, -8", "R2 bitwise operator &= on pointer prohibited")]
    [InlineData("or %r2, 1", "R2 bitwise operator |= on pointer prohibited")]
    [InlineData("xor %r2, 1", "R2 bitwise operator ^= on pointer prohibited")]
    [InlineData("mul %r2, 2", "R2 pointer arithmetic with *= operator prohibited")]
    [InlineData("lsh %r2, 2", "R2 pointer arithmetic with <<= operator prohibited")]
    [InlineData("div %r2, 2", "R2 pointer arithmetic with /= operator prohibited")]
    [InlineData("add %r2, %r10", "R2 pointer += pointer prohibited")]
    [InlineData("and %r2, %r1", "R2 pointer &= pointer prohibited")]
    [InlineData("sub %r2, 8", "R2 subtraction from stack pointer prohibited")]
    [InlineData("add32 %r2, 8", "R2 32-bit pointer arithmetic prohibited")]
    public void Operations_a_stack_pointer_may_not_take(string operation, string reason)
    {
        var result = Verify($"mov %r2, %r10\n{operation}\nmov %r0, 0\nexit", [], [TimerMap]);
        Assert.Equal((reason, (int?)1), (result.Error, result.InstructionIndex));
    }

    [Theory]
    [InlineData("mov %r2, %r10\nsub %r2, %r10")]
    [InlineData("mov %r2, %r10\nsub32 %r2, 8")]
    [InlineData("mov %r2, %r10\nneg %r2")]
    [InlineData("mov %r2, -8\nadd %r2, %r10\nstdw [%r2+0], 0")]
    [InlineData("add %r1, 4")]
    [InlineData("lddw %r1, map_fd 0\nadd %r1, 0")]
    public void Operations_root_may_do_with_pointers(string operations)
    {
        var result = Verify($"{operations}\nmov %r0, 0\nexit", [], [TimerMap]);
        Assert.True(result.Accepted, result.Log);
    }

    [Fact]
    public void A_scalar_minus_a_pointer_is_refused()
    {
        var result = Verify("mov %r2, 5\nsub %r2, %r10\nmov %r0, 0\nexit", [], [TimerMap]);
        Assert.Equal(("R2 tried to subtract pointer from scalar", (int?)1), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void Map_pointers_and_packet_end_do_not_move()
    {
        var map = Verify("lddw %r1, map_fd 0\nadd %r1, 1\nmov %r0, 0\nexit", [], [TimerMap]);
        Assert.Equal(("R1 pointer arithmetic on map_ptr prohibited", (int?)2), (map.Error, map.InstructionIndex));
        var end = Verify("ldxw %r3, [%r1+4]\nadd %r3, 1\nmov %r0, 0\nexit", [], [TimerMap]);
        Assert.Equal(("R3 pointer arithmetic on pkt_end prohibited", (int?)1), (end.Error, end.InstructionIndex));
    }

    [Fact]
    public void A_packet_pointer_may_not_take_a_scalar_with_no_lower_bound()
    {
        var result = Verify("ldxw %r2, [%r1+0]\nldxw %r4, [%r1+12]\nlsh %r4, 32\nadd %r2, %r4\nmov %r0, 0\nexit", [], [TimerMap]);
        Assert.Equal(("math between pkt pointer and register with unbounded min value is not allowed", (int?)3), (result.Error, result.InstructionIndex));
    }

    [Theory]
    // value_size 24; r0 = the looked-up value (instructions 0-8), then:
    [InlineData("ldxw %r1, [%r0+24]", 9, "R0 min value is outside of the allowed memory range")]
    [InlineData("ldxw %r1, [%r0-4]", 9, "R0 min value is outside of the allowed memory range")]
    [InlineData("ldxdw %r2, [%r0+0]\nadd %r0, %r2\nldxw %r1, [%r0+0]", 10, "math between map_value pointer and register with unbounded min value is not allowed")]
    [InlineData("ldxw %r2, [%r0+0]\nadd %r0, %r2\nldxw %r1, [%r0+0]", 11, "R0 unbounded memory access, make sure to bounds check any such access")]
    [InlineData("ldxw %r2, [%r0+0]\nand %r2, 7\nadd %r0, %r2\nldxw %r1, [%r0+20]", 12, "R0 max value is outside of the allowed memory range")]
    [InlineData("ldxw %r2, [%r0+0]\nand %r2, 7\nsub %r2, 4\nadd %r0, %r2\nldxw %r1, [%r0+0]", 13, "R0 min value is negative, either use unsigned index or do a if (index >=0) check.")]
    [InlineData("add %r0, 536870912", 9, "math between map_value pointer and 536870912 is not allowed")]
    public void Map_value_accesses_through_variable_offsets_need_bounds(string access, int index, string reason)
    {
        var result = Verify(LookupIntoR0 + "\n" + access + "\nmov %r0, 0\nexit", [], [PlainMap]);
        Assert.Equal((reason, (int?)index), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void A_bounded_variable_offset_inside_the_value_is_accepted()
    {
        var result = Verify(LookupIntoR0 + "\nldxw %r2, [%r0+0]\nand %r2, 7\nadd %r0, %r2\nldxw %r1, [%r0+12]\nmov %r0, 0\nexit", [], [PlainMap]);
        Assert.True(result.Accepted, result.Log);
    }

    /// <summary>Looks up key 0 of map 0 into r0, leaving the program (r0 = 0) if it is missing: 9 slots.</summary>
    private const string LookupIntoR0 = """
        stw [%r10-4], 0
        mov %r2, %r10
        add %r2, -4
        lddw %r1, map_fd 0
        call 1
        jne %r0, 0, +2
        mov %r0, 0
        exit
        """;
}

using static SharpBpf.Tests.Verifier.VerifierHarness;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// The verifier rules of the timer spec (section F, R22, R25) on hand-written programs: each violation is rejected
/// at the instruction and with the words the kernel uses; the correct neighbour of each is accepted.
/// </summary>
public class TimerRuleVerifierTests
{
    // Slot 10 onwards: r6 = the looked-up value of map 0 (a hash with its bpf_timer at offset 8).
    private const string InitAndArm = LookupIntoR6 + """

        mov %r1, %r6
        add %r1, 8
        lddw %r2, map_fd 0
        mov %r3, 1
        call 169
        mov %r1, %r6
        add %r1, 8
        lddw %r2, func 1
        call 170
        mov %r1, %r6
        add %r1, 8
        mov %r2, 1000
        mov %r3, 0
        call 171
        mov %r0, 0
        exit
        """;

    [Fact]
    public void A_correct_timer_program_is_accepted()
    {
        var result = Verify(InitAndArm, ReturnZero);
        Assert.True(result.Accepted, result.Log);
    }

    [Fact]
    public void R37_a_stack_pointer_is_not_a_timer()
    {
        var result = Verify("""
            mov %r1, %r10
            add %r1, -16
            lddw %r2, map_fd 0
            mov %r3, 1
            call 169
            exit
            """);
        Assert.Equal((false, "R1 type=fp expected=map_value", (int?)5), (result.Accepted, result.Error, result.InstructionIndex));
    }

    [Fact]
    public void R37_a_maybe_null_value_is_not_a_timer_either()
    {
        var result = Verify("""
            stw [%r10-4], 0
            mov %r2, %r10
            add %r2, -4
            lddw %r1, map_fd 0
            call 1
            mov %r1, %r0
            add %r1, 8
            call 172
            exit
            """);
        Assert.Equal("R1 pointer arithmetic on map_value_or_null prohibited, null-check it first", result.Error);
        Assert.Equal(7, result.InstructionIndex);
    }

    [Fact]
    public void R38_the_offset_must_be_constant()
    {
        var result = Verify(LookupIntoR6 + """

            ldxw %r7, [%r6+0]
            and %r7, 8
            mov %r1, %r6
            add %r1, %r7
            call 172
            mov %r0, 0
            exit
            """);
        Assert.Equal(("R1 doesn't have constant offset. bpf_timer has to be at the constant offset", (int?)14), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void R39_the_pointer_must_point_at_the_timer_itself()
    {
        var result = Verify(LookupIntoR6 + """

            mov %r1, %r6
            call 172
            mov %r0, 0
            exit
            """);
        Assert.Equal(("off 0 doesn't point to 'struct bpf_timer' that is at 8", (int?)11), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void R40_a_map_without_a_timer_field_is_refused()
    {
        var result = Verify(LookupIntoR6.Replace("map_fd 0", "map_fd 2", StringComparison.Ordinal) + """

            mov %r1, %r6
            add %r1, 8
            call 172
            mov %r0, 0
            exit
            """);
        Assert.Equal(("map 'plain' has no valid bpf_timer", (int?)12), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void R41_init_must_name_the_map_that_holds_the_timer()
    {
        var result = Verify(InitAndArm.Replace("lddw %r2, map_fd 0", "lddw %r2, map_fd 1", StringComparison.Ordinal), ReturnZero);
        Assert.Equal(("timer pointer in R1 map_uid=0 doesn't match map pointer in R2 map_uid=0", (int?)15), (result.Error, result.InstructionIndex));
    }

    [Theory]
    [InlineData("ldxdw %r1, [%r6+8]", false)]
    [InlineData("ldxdw %r1, [%r6+4]", false)]
    [InlineData("ldxb %r1, [%r6+23]", false)]
    [InlineData("stw [%r6+12], 0", false)]
    [InlineData("ldxdw %r1, [%r6+0]", true)]
    [InlineData("ldxw %r1, [%r6+4]", true)]
    [InlineData("stw [%r6+4], 7", true)]
    public void R42_no_load_or_store_touches_the_timer_bytes(string access, bool accepted)
    {
        var result = Verify(LookupIntoR6 + "\n" + access + "\nmov %r0, 0\nexit");
        Assert.Equal(accepted, result.Accepted);
        if (!accepted)
        {
            Assert.Equal(("bpf_timer cannot be accessed directly by load/store", (int?)10), (result.Error, result.InstructionIndex));
        }
    }

    [Fact]
    public void R42_nor_does_a_helper_reading_the_value()
    {
        // bpf_map_update_elem(&timers, &key, value_with_timer, 0)
        var result = Verify(LookupIntoR6 + """

            mov %r2, %r10
            add %r2, -4
            mov %r3, %r6
            lddw %r1, map_fd 0
            mov %r4, 0
            call 2
            mov %r0, 0
            exit
            """);
        Assert.Equal(("bpf_timer cannot be accessed directly by load/store", (int?)16), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void R43_the_callback_must_be_static()
    {
        var result = Verify(InitAndArm, [ReturnZero], [TimerMap], staticFunctions: false);
        Assert.Equal(("callback function not static", (int?)18), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void R43_and_needs_func_info()
    {
        var result = Verify(InitAndArm, [ReturnZero], [TimerMap], funcInfo: false);
        Assert.Equal(("missing btf func_info", (int?)18), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void R44_the_callback_gets_map_key_and_value()
    {
        var callback = """
            ldxw %r6, [%r2+0]
            ldxdw %r7, [%r3+0]
            stdw [%r3+0], 1
            mov %r1, %r3
            add %r1, 8
            mov %r2, 5000
            mov %r3, 0
            call 171
            mov %r0, 0
            exit
            """;
        var result = Verify(InitAndArm, callback);
        Assert.True(result.Accepted, result.Error + "\n" + result.Log);
    }

    [Fact]
    public void R44_the_key_is_read_only()
    {
        var result = Verify(InitAndArm, "stw [%r2+0], 1\nmov %r0, 0\nexit");
        Assert.Equal(("write to change key R2 not allowed", (int?)28), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void R44_r4_and_r5_are_not_arguments()
    {
        var result = Verify(InitAndArm, "mov %r0, %r4\nexit");
        Assert.Equal(("R4 !read_ok", (int?)28), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void R44_the_timer_in_the_callbacks_value_is_still_off_limits()
    {
        var result = Verify(InitAndArm, "ldxdw %r0, [%r3+8]\nmov %r0, 0\nexit");
        Assert.Equal(("bpf_timer cannot be accessed directly by load/store", (int?)28), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void R22_the_callback_must_return_zero()
    {
        var result = Verify(InitAndArm, "mov %r0, 1\nexit");
        Assert.Equal(("At async callback return the register R0 has smin=1 smax=1 should have been in [0, 0]", (int?)29),
            (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void R45_a_value_that_may_be_non_zero_is_refused()
    {
        var result = Verify(InitAndArm, "call 7\nexit");
        Assert.Equal("At async callback return the register R0 has unknown scalar value should have been in [0, 0]", result.Error);

        var masked = Verify(InitAndArm, "call 7\nand %r0, 1\nexit");
        Assert.Equal("At async callback return the register R0 has smin=0 smax=1 should have been in [0, 0]", masked.Error);
    }

    [Fact]
    public void R45_zero_on_every_path_is_accepted()
    {
        var result = Verify(InitAndArm, """
            call 7
            jgt %r0, 5, +2
            mov %r0, 0
            exit
            mov %r0, 0
            exit
            """);
        Assert.True(result.Accepted, result.Log);
    }

    [Fact]
    public void R22_a_pointer_is_not_a_return_value()
    {
        var result = Verify(InitAndArm, "mov %r0, %r3\nexit");
        Assert.Equal("At async callback return the register R0 is not a known value (map_value)", result.Error);
    }

    [Fact]
    public void R25_a_callback_and_what_it_calls_share_512_bytes()
    {
        var callback = """
            stdw [%r10-320], 0
            call local +2
            mov %r0, 0
            exit
            """;
        var deep = """
            stdw [%r10-256], 0
            mov %r0, 0
            exit
            """;
        var result = Verify(InitAndArm, callback, deep);
        Assert.False(result.Accepted);
        Assert.Equal("combined stack size of 2 calls is 576. Too large", result.Error);
    }

    [Fact]
    public void R25_the_callback_is_a_root_of_its_own()
    {
        // 512 bytes in the arming program and 512 in the callback: neither counts against the other.
        var main = "stdw [%r10-512], 0\n" + InitAndArm;
        var result = Verify(main, "stdw [%r10-512], 0\nmov %r0, 0\nexit");
        Assert.True(result.Accepted, result.Log);
    }

    [Fact]
    public void R22_a_zero_set_before_a_long_loop_is_still_zero_at_exit()
    {
        // The loop runs long enough for the verifier to stop following each iteration: the counter's bounds are
        // forgotten, the return value set before the loop is not.
        var callback = """
            mov %r6, 0
            mov %r7, 0
            add %r7, 1
            jlt %r7, 1000, -2
            mov %r0, %r6
            exit
            """;
        var result = Verify(InitAndArm, callback);
        Assert.True(result.Accepted, result.Error + "\n" + result.Log);
    }

    [Fact]
    public void R4_a_map_without_btf_cannot_hold_a_timer()
    {
        var legacy = TimerMap with { Name = "legacy", HasBtf = false, SpecialFields = [] };
        var result = Verify(LookupIntoR6 + """

            mov %r1, %r6
            add %r1, 8
            call 172
            mov %r0, 0
            exit
            """, [], [legacy]);
        Assert.Equal(("map 'legacy' has to have BTF in order to use bpf_timer", (int?)12), (result.Error, result.InstructionIndex));
    }
}

using SharpBpf.Verifier;
using static SharpBpf.Tests.Verifier.VerifierHarness;

namespace SharpBpf.Tests.Verifier;

/// <summary>The analysis under the timer rules: initialization, NULL checks, bounds, branches, loops, callbacks, logs.</summary>
public class VerifierBasicsTests
{
    [Fact]
    public void Reading_an_unset_register_is_refused()
    {
        var result = Verify("mov %r0, %r5\nexit");
        Assert.Equal((false, "R5 !read_ok", (int?)0), (result.Accepted, result.Error, result.InstructionIndex));
    }

    [Fact]
    public void Exit_needs_r0()
    {
        Assert.Equal("R0 !read_ok", Verify("exit").Error);
    }

    [Fact]
    public void The_frame_pointer_is_read_only()
    {
        Assert.Equal("frame pointer is read only", Verify("mov %r10, 0\nexit").Error);
    }

    [Fact]
    public void A_lookup_result_must_be_null_checked_before_use()
    {
        var result = Verify("""
            stw [%r10-4], 0
            mov %r2, %r10
            add %r2, -4
            lddw %r1, map_fd 0
            call 1
            ldxw %r0, [%r0+0]
            exit
            """);
        Assert.Equal(("R0 invalid mem access 'map_value_or_null'", (int?)6), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void A_null_check_on_a_copy_covers_the_original()
    {
        var result = Verify("""
            stw [%r10-4], 0
            mov %r2, %r10
            add %r2, -4
            lddw %r1, map_fd 0
            call 1
            mov %r7, %r0
            jeq %r7, 0, +2
            ldxw %r0, [%r0+0]
            exit
            mov %r0, 0
            exit
            """);
        Assert.True(result.Accepted, result.Log);
    }

    [Fact]
    public void Map_value_accesses_stay_inside_the_value()
    {
        var result = Verify(LookupIntoR6 + "\nldxw %r0, [%r6+24]\nexit");
        // Linux 6.18 prints the access, then its reason: the value's lowest (here only) offset is out of the region.
        Assert.Equal(("R6 min value is outside of the allowed memory range", (int?)10), (result.Error, result.InstructionIndex));
        Assert.Contains("invalid access to map value, value_size=24 off=24 size=4\nR6 min value", result.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void Stack_accesses_stay_inside_512_bytes()
    {
        Assert.Equal("invalid write to stack R10 off=-520 size=8", Verify("stdw [%r10-520], 0\nmov %r0, 0\nexit").Error);
    }

    [Fact]
    public void A_spilled_pointer_comes_back_as_the_same_pointer()
    {
        var result = Verify(LookupIntoR6 + """

            stxdw [%r10-16], %r6
            mov %r6, 0
            ldxdw %r1, [%r10-16]
            add %r1, 8
            call 172
            mov %r0, 0
            exit
            """);
        Assert.True(result.Accepted, result.Log);
    }

    [Fact]
    public void A_branch_that_cannot_be_taken_is_not_explored()
    {
        // r1 is 5, so the jump to the bad access never happens.
        var result = Verify("""
            mov %r1, 5
            jgt %r1, 6, +2
            mov %r0, 0
            exit
            ldxw %r0, [%r1+0]
            exit
            """);
        Assert.True(result.Accepted, result.Log);

        var reachable = Verify("""
            mov %r1, 5
            jgt %r1, 4, +2
            mov %r0, 0
            exit
            ldxw %r0, [%r1+0]
            exit
            """);
        Assert.Equal(("R1 invalid mem access 'scalar'", (int?)4), (reachable.Error, reachable.InstructionIndex));
    }

    [Fact]
    public void Bounds_learned_from_a_branch_reach_the_return_check()
    {
        // The callback returns r0 only where r0 == 0 has been established.
        var callback = """
            call 7
            jne %r0, 0, +1
            exit
            mov %r0, 0
            exit
            """;
        var armed = Verify(LookupIntoR6 + """

            mov %r1, %r6
            add %r1, 8
            lddw %r2, func 1
            call 170
            mov %r0, 0
            exit
            """, callback);
        Assert.True(armed.Accepted, armed.Log);
    }

    [Fact]
    public void A_long_counted_loop_is_followed_to_its_end()
    {
        var result = Verify("""
            mov %r1, 0
            add %r1, 1
            jlt %r1, 100000, -2
            mov %r0, 0
            exit
            """);
        Assert.True(result.Accepted, result.Log);
    }

    [Fact]
    public void The_instruction_limit_ends_the_analysis_with_the_kernels_words()
    {
        var straight = string.Concat(Enumerable.Repeat("mov %r0, 0\n", 10)) + "exit";
        var result = Verify(straight, [], [TimerMap], options: new VerifierOptions { InstructionLimit = 5 });
        Assert.Equal("BPF program is too large. Processed 6 insn", result.Error);
        // Linux stops before printing the sixth instruction (5): the last its log names is 4.
        Assert.Equal(4, result.InstructionIndex);
    }

    [Fact]
    public void A_bpf_loop_callback_returns_zero_or_one()
    {
        var main = """
            mov %r1, 10
            lddw %r2, func 1
            mov %r3, 0
            mov %r4, 0
            call 181
            mov %r0, 0
            exit
            """;
        Assert.True(Verify(main, "mov %r0, 1\nexit").Accepted);
        var result = Verify(main, "mov %r0, 2\nexit");
        Assert.Equal(("At callback return the register R0 has smin=2 smax=2 should have been in [0, 1]", (int?)9), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void Calls_deeper_than_eight_frames_are_refused()
    {
        var functions = Enumerable.Range(2, 8).Select(next => $"call local +{next}\nmov %r0, 0\nexit").Append("mov %r0, 0\nexit").ToArray();
        var result = Verify("call local +1\nmov %r0, 0\nexit", functions);
        Assert.False(result.Accepted);
        Assert.StartsWith("the call stack of 9 frames is too deep", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Log_level_two_shows_every_instruction_with_its_state()
    {
        var result = Verify("mov %r0, 7\nexit", [], [TimerMap], options: new VerifierOptions { LogLevel = 2 });
        Assert.True(result.Accepted);
        Assert.Contains("0: (b7) r0 = 7", result.Log, StringComparison.Ordinal);
        Assert.Contains("R0=7", result.Log, StringComparison.Ordinal);
        Assert.Contains("processed 2 insns", result.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void Log_level_one_shows_the_failing_path_and_the_reason()
    {
        var result = Verify("mov %r1, 1\nmov %r0, %r5\nexit");
        Assert.Contains("1: (bf) r0 = r5", result.Log, StringComparison.Ordinal);
        Assert.Contains("R5 !read_ok", result.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void Packet_pointers_come_from_the_context_and_other_fields_are_numbers()
    {
        var packet = Verify("ldxw %r2, [%r1+0]\nldxw %r3, [%r1+4]\nmov %r0, 0\nmov %r4, %r2\nadd %r4, 1\njgt %r4, %r3, +1\nldxb %r0, [%r2+0]\nexit");
        Assert.True(packet.Accepted, packet.Log);
        var number = Verify("ldxw %r2, [%r1+12]\nldxb %r0, [%r2+0]\nexit");
        Assert.Equal(("R2 invalid mem access 'scalar'", (int?)1), (number.Error, number.InstructionIndex));
    }

    [Fact]
    public void A_context_it_does_not_model_may_hold_pointers()
    {
        // A tracing program's argument can be a kernel pointer the kernel lets it read through.
        var result = Verify("ldxdw %r2, [%r1+8]\nldxw %r0, [%r2+16]\nexit", [], [TimerMap], context: ContextLayout.Opaque(0));
        Assert.True(result.Accepted, result.Log);
    }

    [Fact]
    public void A_cursor_walking_a_stack_buffer_in_a_long_loop_is_not_followed_out_of_it()
    {
        // for (p = buf; i < 100; i++, p += 4) *p = 0;  with buf 400 bytes on the stack.
        var result = Verify("""
            mov %r1, %r10
            add %r1, -400
            mov %r2, 0
            stw [%r1+0], 0
            add %r1, 4
            add %r2, 1
            jlt %r2, 100, -4
            mov %r0, 0
            exit
            """);
        Assert.True(result.Accepted, result.Error + "\n" + result.Log);
    }

    [Fact]
    public void A_flag_set_inside_a_long_loop_keeps_its_bounds()
    {
        // found = 0; for (i = 0; i < 40; i++) if (sample() > limit) found = 1; return found;  as a bpf_loop callback.
        var callback = """
            mov %r6, 0
            mov %r7, 0
            call 7
            jle %r0, 100, +1
            mov %r6, 1
            add %r7, 1
            jlt %r7, 40, -5
            mov %r0, %r6
            exit
            """;
        var main = """
            mov %r1, 10
            lddw %r2, func 1
            mov %r3, 0
            mov %r4, 0
            call 181
            mov %r0, 0
            exit
            """;
        var result = Verify(main, callback);
        Assert.True(result.Accepted, result.Error + "\n" + result.Log);
    }

    private static readonly SharpBpf.Verifier.VerifierMap LockedMap =
        new("locked", SharpBpf.Maps.MapType.Hash, 4, 32, [new(SharpBpf.Btf.SpecialFieldKind.Timer, 8, 16), new(SharpBpf.Btf.SpecialFieldKind.SpinLock, 24, 4)]);

    private static SharpBpf.Verifier.VerificationResult WithLock(string body) =>
        Verify(LookupIntoR6 + "\n" + body, [], [LockedMap]);

    [Fact]
    public void A_spin_lock_must_be_released_before_exit_and_nothing_called_under_it()
    {
        const string Lock = "mov %r1, %r6\nadd %r1, 24\ncall 93\n";
        const string Unlock = "mov %r1, %r6\nadd %r1, 24\ncall 94\n";
        Assert.True(WithLock(Lock + "stw [%r6+0], 1\n" + Unlock + "mov %r0, 0\nexit").Accepted);
        Assert.Equal(("function calls are not allowed while holding a lock", (int?)13),
            (WithLock(Lock + "call 5\n" + Unlock + "mov %r0, 0\nexit") is var r1 ? (r1.Error, r1.InstructionIndex) : default));
        Assert.Equal("BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region", WithLock(Lock + "mov %r0, 0\nexit").Error);
        Assert.Equal("bpf_spin_unlock without taking a lock", WithLock(Unlock + "mov %r0, 0\nexit").Error);
        Assert.Equal("function calls are not allowed while holding a lock", WithLock(Lock + Lock + "mov %r0, 0\nexit").Error);
        Assert.Equal("off 20 doesn't point to 'struct bpf_spin_lock' that is at 24",
            WithLock("mov %r1, %r6\nadd %r1, 20\ncall 93\nmov %r0, 0\nexit").Error);
        Assert.Equal("bpf_spin_lock cannot be accessed directly by load/store", WithLock("ldxw %r0, [%r6+24]\nexit").Error);
    }
}

using SharpBpf.Loader;
using SharpBpf.Maps;
using SharpBpf.Verifier;
using static SharpBpf.Tests.Verifier.VerifierHarness;

namespace SharpBpf.Tests.Verifier;

/// <summary>The helper-call rules of the kernel's check_helper_call, each with its accepted neighbour (messages as Linux 6.18.44 prints them).</summary>
public class HelperCallRuleTests
{
    private static readonly VerifierMap Counts = new("counts", MapType.Array, 4, 8, [], MaxEntries: 4);
    private static readonly VerifierMap Table = new("table", MapType.Hash, 4, 8, [], MaxEntries: 4);
    private static readonly VerifierMap Constants = new("rodata", MapType.Array, 4, 8, [], IsReadOnly: true, MaxEntries: 1);

    private static VerificationResult VerifyAs(string main, ProgramType type, bool gpl = true, bool sleepable = false, params VerifierMap[] maps) =>
        Verify(main, [], maps.Length == 0 ? [Counts, Table, Constants] : maps, context: SharpBpf.Runtime.Contexts.VerifierContexts.For(type),
            adjust: input => input with { ProgramType = (uint)type, IsGplCompatible = gpl, IsSleepable = sleepable });

    private static void AssertRejected(VerificationResult result, string reason, int insn) =>
        Assert.Equal((false, reason, (int?)insn), (result.Accepted, result.Error, result.InstructionIndex));

    [Fact]
    public void An_id_past_the_last_helper_is_an_invalid_func()
    {
        AssertRejected(VerifyAs("call 212\nexit", ProgramType.Xdp), "invalid func unknown#212", 0);
        Assert.True(VerifyAs("call 7\nexit", ProgramType.Xdp).Accepted);
        // An id a host registered beyond the kernel's is callable.
        Assert.True(Verify("call 212\nexit", [], [], adjust: i => i with { HostHelperIds = System.Collections.Frozen.FrozenSet.ToFrozenSet([212]) }).Accepted);
    }

    [Fact]
    public void A_helper_the_program_type_is_not_offered_is_refused_by_name()
    {
        const string LoadBytes = "mov %r2, 0\nmov %r3, %r10\nadd %r3, -8\nmov %r4, 4\ncall 26\nmov %r0, 0\nexit";
        AssertRejected(VerifyAs(LoadBytes, ProgramType.Xdp), "program of this type cannot use helper bpf_skb_load_bytes#26", 4);
        Assert.True(VerifyAs(LoadBytes, ProgramType.SchedCls).Accepted);
        // Upstream 6.18 offers bpf_xdp_adjust_meta to XDP (the measured build does not; SharpBpf follows upstream).
        Assert.True(VerifyAs("mov %r2, -4\ncall 54\nmov %r0, 0\nexit", ProgramType.Xdp).Accepted);
        AssertRejected(VerifyAs("mov %r2, -4\ncall 54\nmov %r0, 0\nexit", ProgramType.SchedCls), "program of this type cannot use helper bpf_xdp_adjust_meta#54", 1);
    }

    [Fact]
    public void A_gpl_only_helper_needs_a_gpl_compatible_license()
    {
        const string ReadKernel = "mov %r1, %r10\nadd %r1, -8\nmov %r2, 8\nmov %r3, 0\ncall 113\nmov %r0, 0\nexit";
        AssertRejected(VerifyAs(ReadKernel, ProgramType.SchedCls, gpl: false), "cannot call GPL-restricted function from non-GPL compatible program", 4);
        Assert.True(VerifyAs(ReadKernel, ProgramType.SchedCls, gpl: true).Accepted);
        // bpf_get_stackid is gpl_only except in perf_event programs.
        const string StackId = "lddw %r2, map_fd 1\nmov %r3, 0\ncall 27\nmov %r0, 0\nexit";
        Assert.Equal("cannot call GPL-restricted function from non-GPL compatible program", VerifyAs(StackId, ProgramType.Kprobe, gpl: false).Error);
        Assert.NotEqual("cannot call GPL-restricted function from non-GPL compatible program", VerifyAs(StackId, ProgramType.PerfEvent, gpl: false).Error);
    }

    [Fact]
    public void A_helper_that_might_sleep_needs_a_sleepable_program()
    {
        const string CopyFromUser = "mov %r1, %r10\nadd %r1, -8\nmov %r2, 8\nmov %r3, 0\ncall 148\nmov %r0, 0\nexit";
        AssertRejected(VerifyAs(CopyFromUser, ProgramType.Xdp), "helper call might sleep in a non-sleepable prog", 4);
        Assert.True(VerifyAs(CopyFromUser, ProgramType.Syscall, sleepable: true).Accepted);
    }

    [Fact]
    public void A_helper_whose_allowed_hook_refuses_the_program_is_refused_before_its_arguments()
    {
        // bpf_sk_storage_get and bpf_d_path in a syscall program: offered, then refused by their allowed() hook.
        AssertRejected(VerifyAs("mov %r1, 0\nmov %r2, 0\nmov %r3, 0\nmov %r4, 0\ncall 107\nexit", ProgramType.Syscall, sleepable: true),
            "helper call is not allowed in probe", 4);
        AssertRejected(VerifyAs("mov %r1, 0\ncall 147\nexit", ProgramType.Syscall, sleepable: true), "helper call is not allowed in probe", 1);
    }

    [Fact]
    public void Bpf_get_func_ip_is_only_answered_for_kprobes()
    {
        AssertRejected(VerifyAs("call 173\nexit", ProgramType.Tracepoint), "func bpf_get_func_ip#173 not supported for program type 5", 0);
        Assert.True(VerifyAs("call 173\nexit", ProgramType.Kprobe).Accepted);
    }

    [Fact]
    public void A_timer_callback_is_not_sleepable_even_in_a_sleepable_program()
    {
        const string Callback = "mov %r1, %r10\nadd %r1, -8\nmov %r2, 8\nmov %r3, 0\ncall 148\nmov %r0, 0\nexit";
        var arm = LookupIntoR6 + """

            mov %r1, %r6
            add %r1, 8
            lddw %r2, func 1
            call 170
            mov %r0, 0
            exit
            """;
        var result = Verify(arm, [Callback], [TimerMap], adjust: i => i with { ProgramType = (uint)ProgramType.Syscall, IsSleepable = true });
        Assert.Equal("helper call might sleep in a non-sleepable prog", result.Error);
        Assert.Equal(17 + 4, result.InstructionIndex);
    }

    [Theory]
    [InlineData("mov %r2, -1", "R2 min value is negative, either use unsigned or 'var &= const'")]
    [InlineData("ldxw %r2, [%r6+12]", "R2 unbounded memory access, use 'var &= const' or 'if (var < const)'")]
    public void A_size_argument_must_be_bounded_and_not_negative(string size, string reason)
    {
        var program = $"mov %r6, %r1\nmov %r1, %r10\nadd %r1, -16\n{size}\nmov %r3, 0\ncall 113\nmov %r0, 0\nexit";
        AssertRejected(VerifyAs(program, ProgramType.SchedCls), reason, 5);
    }

    [Fact]
    public void A_const_size_argument_may_not_be_zero_but_a_size_or_zero_may()
    {
        AssertRejected(VerifyAs("mov %r1, %r10\nadd %r1, -16\nmov %r2, 0\ncall 16\nexit", ProgramType.Syscall, sleepable: true),
            "R2 invalid zero-sized read: u64=[0,0]", 3);
        Assert.True(VerifyAs("mov %r1, %r10\nadd %r1, -16\nmov %r2, 16\ncall 16\nexit", ProgramType.Syscall, sleepable: true).Accepted);
        Assert.True(VerifyAs("mov %r1, %r10\nadd %r1, -16\nmov %r2, 0\nmov %r3, 0\ncall 113\nmov %r0, 0\nexit", ProgramType.SchedCls).Accepted);
        var masked = VerifyAs("ldxw %r2, [%r1+0]\nand %r2, 15\nmov %r1, %r10\nadd %r1, -16\nmov %r3, 0\ncall 113\nmov %r0, 0\nexit", ProgramType.SchedCls);
        Assert.True(masked.Accepted, masked.Log);
    }

    [Fact]
    public void Packet_memory_goes_only_to_helpers_with_packet_access()
    {
        const string Bounded = """
            ldxw %r2, [%r1+0]
            ldxw %r3, [%r1+4]
            mov %r4, %r2
            add %r4, 8
            jgt %r4, %r3, +5
            mov %r1, %r2
            mov %r2, 8
            mov %r3, 0
            call 113
            mov %r0, 0
            exit
            """;
        AssertRejected(VerifyAs(Bounded, ProgramType.Xdp), "helper access to the packet is not allowed", 8);
        // bpf_map_lookup_elem has pkt_access: a packet key is fine.
        var lookup = VerifyAs("""
            ldxw %r2, [%r1+0]
            ldxw %r3, [%r1+4]
            mov %r4, %r2
            add %r4, 8
            jgt %r4, %r3, +3
            lddw %r1, map_fd 1
            call 1
            mov %r0, 0
            exit
            """, ProgramType.Xdp);
        Assert.True(lookup.Accepted, lookup.Log);
    }

    [Fact]
    public void Read_only_map_memory_is_not_helper_output()
    {
        var result = VerifyAs("stw [%r10-8], 0\nmov %r2, %r10\nadd %r2, -8\nlddw %r1, map_fd 2\ncall 1\njeq %r0, 0, +4\nmov %r1, %r0\nmov %r2, 8\nmov %r3, 0\ncall 113\nmov %r0, 0\nexit",
            ProgramType.SchedCls);
        AssertRejected(result, "write into map forbidden, value_size=8 off=0 size=8", 10);
    }

    [Fact]
    public void An_array_lookup_with_a_constant_key_inside_the_array_is_not_null()
    {
        static string Lookup(string store, string map) => $"{store}\nmov %r2, %r10\nadd %r2, -8\nlddw %r1, map_fd {map}\ncall 1\nldxdw %r0, [%r0+0]\nexit";
        var constant = VerifyAs(Lookup("stw [%r10-8], 3", "0"), ProgramType.SchedCls);
        Assert.True(constant.Accepted, constant.Log);
        AssertRejected(VerifyAs(Lookup("stw [%r10-8], 4", "0"), ProgramType.SchedCls), "R0 invalid mem access 'map_value_or_null'", 6);
        AssertRejected(VerifyAs(Lookup("stw [%r10-8], 3", "1"), ProgramType.SchedCls), "R0 invalid mem access 'map_value_or_null'", 6);
        // An unknown key, and a non-zero key stored off an 8-byte boundary (the kernel sees "misc" bytes there), stay maybe-NULL.
        AssertRejected(VerifyAs(Lookup("ldxw %r3, [%r1+0]\nstxw [%r10-8], %r3", "0"), ProgramType.SchedCls), "R0 invalid mem access 'map_value_or_null'", 7);
        var misaligned = VerifyAs("stw [%r10-4], 3\nmov %r2, %r10\nadd %r2, -4\nlddw %r1, map_fd 0\ncall 1\nldxdw %r0, [%r0+0]\nexit", ProgramType.SchedCls);
        AssertRejected(misaligned, "R0 invalid mem access 'map_value_or_null'", 6);
        var zero = VerifyAs("stw [%r10-4], 0\nmov %r2, %r10\nadd %r2, -4\nlddw %r1, map_fd 0\ncall 1\nldxdw %r0, [%r0+0]\nexit", ProgramType.SchedCls);
        Assert.True(zero.Accepted, zero.Log);
    }
}

using SharpBpf.Loader;
using SharpBpf.Verifier;
using static SharpBpf.Tests.Verifier.VerifierHarness;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// The stack's strict alignment and spill sizes, variable-offset stack accesses, and the context fields each program
/// type may load and store. Each verdict and index was measured on Linux 6.18.44 as root.
/// </summary>
public class StackAndContextVerifierTests
{
    [Theory]
    [InlineData("stxdw [%r10-12], %r1", 0, "misaligned stack access off 0+0+-12 size 8")]
    [InlineData("stdw [%r10-12], 0", 0, "misaligned stack access off 0+0+-12 size 8")]
    [InlineData("stdw [%r10-16], 0\nstdw [%r10-8], 0\nldxdw %r0, [%r10-12]", 2, "misaligned stack access off 0+0+-12 size 8")]
    [InlineData("stxw [%r10-8], %r1", 0, "invalid size of register spill")]
    [InlineData("stxdw [%r10-8], %r1\nldxw %r0, [%r10-8]", 1, "invalid size of register fill")]
    public void The_stack_is_strict_about_alignment_and_pointer_spills(string program, int index, string reason)
    {
        var result = Verify(program + "\nmov %r0, 0\nexit", [], [TimerMap]);
        Assert.Equal((reason, (int?)index), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void A_write_inside_a_slot_that_starts_with_a_spill_makes_the_whole_slot_unknown()
    {
        // Linux 6.18.44: fp-8=??????0 after the narrow spill, ??m???mm after the byte: the zero is forgotten.
        var result = Verify("mov %r1, 0\nstxh [%r10-8], %r1\nmov %r2, 5\nstxb [%r10-3], %r2\nldxh %r3, [%r10-8]\njeq %r3, 0, +1\nexit\nmov %r0, 0\nexit", [], [TimerMap]);
        Assert.Equal(("R0 !read_ok", (int?)6), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void Bytes_inside_a_spilled_zero_read_as_zero()
    {
        // Linux 6.18.44 accepts: the halfword at fp-4 of a spilled 0 is 0, so the exit with R0 unset is never reached.
        var result = Verify("mov %r1, 0\nstxdw [%r10-8], %r1\nldxh %r3, [%r10-4]\njeq %r3, 0, +1\nexit\nmov %r0, 0\nexit", [], [TimerMap]);
        Assert.True(result.Accepted, result.Log);
    }

    [Theory]
    [InlineData("ldxw %r2, [%r1+16]\nand %r2, 8\nsub %r2, 16\nadd %r2, %r10\nstdw [%r2+0], 0")]
    [InlineData("ldxw %r2, [%r1+16]\nand %r2, 8\nsub %r2, 16\nadd %r2, %r10\nldxdw %r0, [%r2+0]")]
    [InlineData("ldxdw %r0, [%r10-8]")]
    public void Root_may_write_and_read_the_stack_at_bounded_variable_offsets(string program)
    {
        var result = Verify(program + "\nmov %r0, 0\nexit", [], [TimerMap]);
        Assert.True(result.Accepted, result.Log);
    }

    [Theory]
    [InlineData("ldxw %r2, [%r1+16]\nsub %r2, 600\nadd %r2, %r10\nldxb %r0, [%r2+0]", 3, "invalid unbounded variable-offset read from stack R2")]
    [InlineData("ldxw %r2, [%r1+16]\nadd %r2, %r10\nldxb %r0, [%r2+0]", 2, "invalid unbounded variable-offset read from stack R2")]
    [InlineData("ldxw %r2, [%r1+16]\nadd %r2, %r10\nstb [%r2+0], 0", 2, "invalid unbounded variable-offset write to stack R2")]
    public void A_variable_stack_offset_needs_bounds(string program, int index, string reason)
    {
        var result = Verify(program + "\nmov %r0, 0\nexit", [], [TimerMap]);
        Assert.Equal((reason, (int?)index), (result.Error, result.InstructionIndex));
    }

    [Theory]
    // xdp_md: only whole 4-byte loads of data, data_end, data_meta, ingress_ifindex, rx_queue_index; no stores.
    [InlineData(ProgramType.Xdp, "ldxw %r0, [%r1+16]", null)]
    [InlineData(ProgramType.Xdp, "ldxb %r0, [%r1+12]", "invalid bpf_context access off=12 size=1")]
    [InlineData(ProgramType.Xdp, "ldxw %r0, [%r1+20]", "invalid bpf_context access off=20 size=4")]
    [InlineData(ProgramType.Xdp, "ldxdw %r0, [%r1+0]", "invalid bpf_context access off=0 size=8")]
    [InlineData(ProgramType.Xdp, "stw [%r1+12], 0", "invalid bpf_context access off=12 size=4")]
    // __sk_buff in TC: narrow loads of most fields, stores of mark/queue_mapping/priority/tc_index/tc_classid, cb[] at any aligned size.
    [InlineData(ProgramType.SchedCls, "ldxb %r0, [%r1+9]", null)]
    [InlineData(ProgramType.SchedCls, "ldxh %r0, [%r1+9]", "invalid bpf_context access off=9 size=2")]
    [InlineData(ProgramType.SchedCls, "ldxdw %r0, [%r1+0]", "invalid bpf_context access off=0 size=8")]
    [InlineData(ProgramType.SchedCls, "stw [%r1+8], 1", null)]
    [InlineData(ProgramType.SchedCls, "stw [%r1+44], 1", null)]
    [InlineData(ProgramType.SchedCls, "sth [%r1+8], 1", "invalid bpf_context access off=8 size=2")]
    [InlineData(ProgramType.SchedCls, "stw [%r1+0], 1", "invalid bpf_context access off=0 size=4")]
    [InlineData(ProgramType.SchedCls, "stdw [%r1+48], 1", null)]
    [InlineData(ProgramType.SchedCls, "stdw [%r1+52], 1", "invalid bpf_context access off=52 size=8")]
    [InlineData(ProgramType.SchedCls, "ldxh %r0, [%r1+76]", "invalid bpf_context access off=76 size=2")]
    [InlineData(ProgramType.SchedCls, "ldxw %r0, [%r1+92]", "invalid bpf_context access off=92 size=4")]
    [InlineData(ProgramType.SchedCls, "ldxw %r0, [%r1+192]", "invalid bpf_context access off=192 size=4")]
    // A socket filter sees no packet pointers and writes only cb[]; cgroup_skb reads data but writes only mark, priority, cb[].
    [InlineData(ProgramType.SocketFilter, "ldxw %r0, [%r1+76]", "invalid bpf_context access off=76 size=4")]
    [InlineData(ProgramType.SocketFilter, "stw [%r1+8], 1", "invalid bpf_context access off=8 size=4")]
    [InlineData(ProgramType.SocketFilter, "stw [%r1+48], 1", null)]
    [InlineData(ProgramType.CgroupSkb, "ldxw %r0, [%r1+92]", null)]
    [InlineData(ProgramType.CgroupSkb, "stw [%r1+44], 1", "invalid bpf_context access off=44 size=4")]
    [InlineData(ProgramType.CgroupSkb, "ldxw %r0, [%r1+140]", "invalid bpf_context access off=140 size=4")]
    public void Context_fields_are_loaded_and_stored_as_the_program_type_allows(ProgramType type, string access, string? reason)
    {
        var result = Verify(access + "\nmov %r0, 0\nexit", [], [TimerMap], context: SharpBpf.Runtime.Contexts.VerifierContexts.For(type));
        Assert.Equal((reason, reason is null ? null : (int?)0), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void Atomic_operations_on_the_context_are_refused()
    {
        var result = Verify("mov %r2, 1\nlock add32 [%r1+8], %r2\nmov %r0, 0\nexit", [], [TimerMap],
            context: SharpBpf.Runtime.Contexts.VerifierContexts.For(ProgramType.SchedCls));
        Assert.Equal(("BPF_ATOMIC stores into R1 ctx is not allowed", (int?)1), (result.Error, result.InstructionIndex));
    }
}

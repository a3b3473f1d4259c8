using SharpBpf.Maps;
using SharpBpf.Runtime.Contexts;
using SharpBpf.Verifier;
using static SharpBpf.Tests.Verifier.VerifierHarness;

namespace SharpBpf.Tests.Soundness;

/// <summary>
/// Found while checking what the packet proofs assume: a helper that writes memory (bpf_map_peek_elem's value,
/// bpf_probe_read_kernel's destination, bpf_xdp_load_bytes' buffer) was allowed to write the context, and so
/// xdp_md.data / data_end, after which a packet access "proven" against data_end reads wherever the helper pointed.
/// Linux refuses the context as helper memory ("R2 type=ctx expected=fp, pkt, ..."); so does SharpBpf now.
/// </summary>
public class ContextWrittenByHelperTests
{
    private static readonly VerifierMap Queue = new("queue", MapType.Queue, 0, 8, [], MaxEntries: 4);

    private static VerificationResult VerifyXdp(string program) =>
        Verify(program, [], [Queue], context: VerifierContexts.For(SharpBpf.Loader.ProgramType.Xdp));

    private const string ThenReadThePacket = """
        ldxw %r2, [%r6+0]
        ldxw %r3, [%r6+4]
        mov %r4, %r2
        add %r4, 14
        mov %r0, 0
        jgt %r4, %r3, +1
        ldxb %r0, [%r2+13]
        exit
        """;

    [Fact]
    public void A_map_value_helper_may_not_write_the_context()
    {
        var result = VerifyXdp("mov %r6, %r1\nlddw %r1, map_fd 0\nmov %r2, %r6\ncall 89\n" + ThenReadThePacket);
        Assert.False(result.Accepted, "bpf_map_peek_elem into the context was accepted");
        Assert.Equal(4, result.InstructionIndex);
        Assert.StartsWith("R2 type=ctx expected=", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_map_key_may_not_be_the_context_and_the_refusal_lists_linuxs_types()
    {
        // Measured on Linux 6.18.44 (bpf_map_lookup_elem(&hash, ctx) in XDP): map keys and values take mem_types.
        VerifierMap hash = new("hash", MapType.Hash, 4, 4, [], MaxEntries: 4);
        var result = Verify("mov %r6, %r1\nlddw %r1, map_fd 0\nmov %r2, %r6\ncall 1\nmov %r0, 0\nexit", [], [hash],
            context: VerifierContexts.For(SharpBpf.Loader.ProgramType.Xdp));
        Assert.False(result.Accepted, "a lookup keyed by the context was accepted");
        Assert.Equal(4, result.InstructionIndex);
        Assert.Equal("R2 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_", result.Error);
    }

    [Fact]
    public void A_writable_memory_argument_may_not_be_the_context()
    {
        var result = VerifyXdp("mov %r6, %r1\nmov %r1, %r6\nmov %r2, 8\nmov %r3, 0\ncall 113\n" + ThenReadThePacket);
        Assert.False(result.Accepted, "bpf_probe_read_kernel into the context was accepted");
        Assert.StartsWith("R1 type=ctx expected=", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_stack_as_the_same_argument_is_still_accepted_and_the_packet_read_proven()
    {
        var result = VerifyXdp("mov %r6, %r1\nmov %r1, %r10\nadd %r1, -8\nmov %r2, 8\nmov %r3, 0\ncall 113\n" + ThenReadThePacket);
        Assert.True(result.Accepted, result.Log);
        Assert.True(result.AccessProofs[12].Proven);
    }
}

/// <summary>
/// Found with it: where a program type lists no context fields (lwt_*, sk_skb) a store could rewrite __sk_buff.data
/// or data_end, on which the packet proofs rest. Those fields are never writable in Linux; they are refused now.
/// </summary>
public class PacketPointerFieldStoreTests
{
    [Theory]
    [InlineData(SharpBpf.Loader.ProgramType.SkSkb, 80)]
    [InlineData(SharpBpf.Loader.ProgramType.LwtXmit, 76)]
    [InlineData(SharpBpf.Loader.ProgramType.LwtIn, 78)]
    public void A_store_into_data_or_data_end_is_refused(SharpBpf.Loader.ProgramType type, int offset)
    {
        var result = Verify($"stw [%r1+{offset}], 100000\nmov %r0, 0\nexit", [], [], context: VerifierContexts.For(type));
        Assert.Equal(($"invalid bpf_context access off={offset} size=4", (int?)0), (result.Error, result.InstructionIndex));
    }

    [Fact]
    public void A_store_into_a_field_the_type_lets_it_write_is_still_accepted()
    {
        // sk_skb may store __sk_buff.priority (measured on Linux 6.18), not mark.
        var result = Verify("stw [%r1+32], 1\nmov %r0, 0\nexit", [], [], context: VerifierContexts.For(SharpBpf.Loader.ProgramType.SkSkb));
        Assert.True(result.Accepted, result.Log);
        var mark = Verify("stw [%r1+8], 1\nmov %r0, 0\nexit", [], [], context: VerifierContexts.For(SharpBpf.Loader.ProgramType.SkSkb));
        Assert.Equal(("invalid bpf_context access off=8 size=4", (int?)0), (mark.Error, mark.InstructionIndex));
    }
}

using System.Collections.Frozen;
using SharpBpf.Loader;
using SharpBpf.Runtime;
using SharpBpf.Tests.Support;
using SharpBpf.Verifier;
using static SharpBpf.Tests.Verifier.VerifierHarness;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// The proof classes beyond plain stack, map value, context and packet accesses (docs/verifier.md, "Proven accesses run
/// unchecked"): atomics on LRU hash and LPM trie values, global functions' memory arguments, bpf_iter_num_next's value —
/// and what keeps an access of each class unproven, with its reason.
/// </summary>
public class AccessProofClassTests
{
    private static readonly GlobalFunctionPrototype EightBytes = new([new GlobalArgument(GlobalArgumentKind.Memory, 8)]);
    private static readonly GlobalFunctionPrototype EightBytesOrNull = new([new GlobalArgument(GlobalArgumentKind.MemoryOrNull, 8)]);

    private static AccessProof ProofIn(string relativePath, string programName, int slot)
    {
        var spec = ObjectLoader.LoadFile(Path.Combine(TestPaths.RepoRoot, relativePath));
        var result = ObjectVerifier.Verify(spec, spec.Programs.Single(p => p.Name == programName));
        Assert.True(result.Accepted, result.Error);
        return result.AccessProofs[slot];
    }

    [Theory]
    [InlineData("examples/conntrack_timers.o", "track_connections", 100, "MapValue")] // lock add on an LRU hash value
    [InlineData("tests/SharpBpf.Tests/Data/realworld/lpm_filter.o", "lpm_filter", 48, "MapValue")] // lock add on a trie value
    [InlineData("tests/SharpBpf.Tests/Data/corpus/ok_global_funcs_v4.o", "start_tickers", 41, "CallerMemory")]
    [InlineData("tests/SharpBpf.Tests/Data/realworld/kfunc_loops.o", "scan_bytes", 13, "Stack")] // *bpf_iter_num_next()
    public void Accesses_of_the_added_classes_are_proven(string path, string program, int slot, string region) =>
        Assert.Equal(new AccessProof(true, Enum.Parse<AccessRegions>(region)), ProofIn(path, program, slot));

    [Theory]
    [InlineData("tests/SharpBpf.Tests/Data/generated/objects/global_fn_struct_checked_given_packet_16.o", "prog", 11, "CallerMemory")]
    [InlineData("tests/SharpBpf.Tests/Data/verifier/ok_ref_sock_lookup_release.o", "read_and_release", 22, "SocketField")]
    [InlineData("tests/SharpBpf.Tests/Data/corpus/ok_syscall_args_v4.o", "control", 1, "ContextOfHostMemory")]
    public void Accesses_without_a_proof_name_what_they_lack(string path, string program, int slot, string reason) =>
        Assert.Equal(new AccessProof(false, AccessRegions.None, Enum.Parse<UnprovenReason>(reason)), ProofIn(path, program, slot));

    private static VerificationResult VerifyWithGlobal(string main, string function, GlobalFunctionPrototype prototype) =>
        Verify(main, [function], [PlainMap], staticFunctions: false,
            adjust: input => input with { GlobalFunctions = new Dictionary<int, GlobalFunctionPrototype> { [input.Functions[1].StartSlot] = prototype }.ToFrozenDictionary() });

    private const string PassesStack = "stdw [%r10-8], 0\nmov %r1, %r10\nadd %r1, -8\ncall local +1\nmov %r0, 0\nexit";

    [Fact]
    public void A_global_function_reading_the_stack_bytes_its_caller_passed_is_proven()
    {
        var result = VerifyWithGlobal(PassesStack, "ldxdw %r0, [%r1+0]\nexit", EightBytes);
        Assert.True(result.Accepted, result.Error);
        Assert.Equal(new AccessProof(true, AccessRegions.CallerMemory), result.AccessProofs[6]);
    }

    [Fact]
    public void A_literal_null_for_a_non_nullable_argument_leaves_the_callee_unproven()
    {
        // check_mem_reg lets NULL through whatever the prototype says (Linux 6.18 accepts this program); the callee
        // then reads address 0: found by the proof fuzz as a proven access faulting in checked mode.
        const string stackThenNull = "stdw [%r10-8], 0\nmov %r1, %r10\nadd %r1, -8\ncall local +1\nmov %r1, 0\ncall local +1\nmov %r0, 0\nexit";
        var result = VerifyWithGlobal(stackThenNull, "ldxdw %r0, [%r1+0]\nexit", EightBytes);
        Assert.True(result.Accepted, result.Error);
        Assert.Equal(new AccessProof(false, AccessRegions.None, UnprovenReason.CallerMemory), result.AccessProofs[8]);
    }

    [Fact]
    public void A_null_checked_nullable_argument_is_proven_when_null_is_passed()
    {
        var result = VerifyWithGlobal("mov %r1, 0\ncall local +1\nmov %r0, 0\nexit", "mov %r0, 0\njeq %r1, 0, +1\nldxdw %r0, [%r1+0]\nexit", EightBytesOrNull);
        Assert.True(result.Accepted, result.Error);
        Assert.Equal(new AccessProof(true, AccessRegions.CallerMemory), result.AccessProofs[6]);
    }
}

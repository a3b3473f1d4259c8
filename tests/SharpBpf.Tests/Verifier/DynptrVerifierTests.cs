using SharpBpf.Loader;
using SharpBpf.Runtime;
using SharpBpf.Tests.Support;
using SharpBpf.Verifier;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// What the verifier's dynptr model gives the engines (docs/verifier.md, "Dynptrs"): a bpf_dynptr_data slice is
/// bounds-checked against its constant length but never proven, so its accesses keep their run-time check (the
/// slice's memory is the dynptr's, which only the helper checked). Linux's verdicts on dynptr programs are the
/// generated corpus's dynptr_* programs (GeneratedCorpusTests).
/// </summary>
public class DynptrVerifierTests
{
    private static VerificationResult VerifyObject(string relativePath, string programName)
    {
        var spec = ObjectLoader.LoadFile(Path.Combine(TestPaths.RepoRoot, relativePath));
        return ObjectVerifier.Verify(spec, spec.Programs.Single(p => p.Name == programName));
    }

    [Theory]
    [InlineData("tests/SharpBpf.Tests/Data/generated/objects/dynptr_data_ok.o", "prog", 14)]
    [InlineData("tests/SharpBpf.Tests/Data/realworld/dynptr_records.o", "record_packets", 47)]
    public void A_store_through_a_dynptr_slice_is_checked_at_run_time(string path, string program, int slot)
    {
        var result = VerifyObject(path, program);
        Assert.True(result.Accepted, result.Error);
        Assert.Equal(new AccessProof(false, AccessRegions.None, UnprovenReason.DynptrSlice), result.AccessProofs[slot]);
    }

    [Fact]
    public void A_slice_past_its_length_is_refused_with_linuxs_words()
    {
        var result = VerifyObject("tests/SharpBpf.Tests/Data/generated/objects/dynptr_data_past.o", "prog");
        Assert.False(result.Accepted);
        Assert.Equal("R0 min value is outside of the allowed memory range", result.Error);
    }

    [Theory]
    [InlineData(EngineKind.Interpreter)]
    [InlineData(EngineKind.Jit)]
    public void A_dynptr_program_runs_unchecked_with_its_slice_checked(EngineKind engine)
    {
        using var obj = BpfObject.Load(Path.Combine(TestPaths.RepoRoot, "tests/SharpBpf.Tests/Data/generated/objects/dynptr_data_ok.o"),
            new BpfObjectOptions { Engine = engine });
        Assert.Equal(0ul, obj.Programs["prog"].Run(new byte[64]).ReturnValue);
    }
}

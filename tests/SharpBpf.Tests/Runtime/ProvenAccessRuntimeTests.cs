using SharpBpf.Execution;
using SharpBpf.Runtime;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Runtime;

/// <summary>
/// Loaded objects run the accesses their verifier proved without a check by default; <see cref="ExecutionMode.Checked"/>
/// checks them all and gives the same results.
/// </summary>
public class ProvenAccessRuntimeTests
{
    private static string Example(string name) => Path.Combine(TestPaths.RepoRoot, "examples", name);

    [Fact]
    public void Verified_objects_run_proven_accesses_unchecked_by_default()
    {
        Assert.Equal(ExecutionMode.ProvenUnchecked, new BpfObjectOptions().Mode);
        using var obj = BpfObject.Load(Example("packet_parser.o"));
        var prepared = obj.Programs.Single().Prepared;
        Assert.Equal(ExecutionMode.ProvenUnchecked, prepared.Mode);
        Assert.True(prepared.Proofs!.Count > 10, $"only {prepared.Proofs.Count} proven accesses in the packet parser");
        Assert.Equal((uint)obj.Programs.Single().Type, prepared.Proofs.ContextType);
    }

    [Fact]
    public void Checked_mode_uses_no_proofs()
    {
        using var obj = BpfObject.Load(Example("packet_parser.o"), new BpfObjectOptions { Mode = ExecutionMode.Checked });
        Assert.Null(obj.Programs.Single().Prepared.Proofs);
    }

    [Theory]
    [InlineData(EngineKind.Interpreter)]
    [InlineData(EngineKind.Jit)]
    public void The_packet_parser_gives_the_same_verdicts_and_counts_in_both_modes(EngineKind engine)
    {
        var packets = Directory.GetFiles(Example("packets"), "*.bin").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).Where(p => p.Length >= 14).ToList();
        string Outcome(ExecutionMode mode)
        {
            using var obj = BpfObject.Load(Example("packet_parser.o"), new BpfObjectOptions { Mode = mode, Engine = engine });
            var verdicts = packets.Select(p => obj.Programs.Single().Run(p).ReturnValue).ToList();
            var reasons = obj.Maps["reasons"];
            var counts = reasons.Keys().Select(key =>
            {
                var value = new byte[reasons.HostValueSize];
                reasons.Lookup(key, value);
                return Convert.ToHexString(value);
            });
            return string.Join(",", verdicts) + " | " + string.Join(",", counts);
        }

        Assert.Equal(Outcome(ExecutionMode.Checked), Outcome(ExecutionMode.ProvenUnchecked));
    }
}

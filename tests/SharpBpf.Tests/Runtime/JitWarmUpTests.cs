using SharpBpf.Runtime;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Runtime;

/// <summary>Loading warms a JIT program's run path (BpfProgram.WarmUp) without running the program.</summary>
public class JitWarmUpTests
{
    [Fact]
    public void Loading_with_the_jit_leaves_maps_and_trace_untouched_and_the_first_run_counts_as_the_interpreters()
    {
        var packet = File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "examples", "packets", "ipv4_udp.bin"));
        var totals = new List<long>();
        foreach (var engine in new[] { EngineKind.Jit, EngineKind.Interpreter })
        {
            using var obj = BpfObject.Load(Path.Combine(TestPaths.RepoRoot, "examples", "proto_counters.o"), new BpfObjectOptions { Engine = engine });
            Assert.Equal(0, Total(obj.Maps["proto_counts"]));
            Assert.Empty(obj.Trace);
            obj.Programs["count_protocols"].Run(packet);
            totals.Add(Total(obj.Maps["proto_counts"]));
        }

        Assert.True(totals[0] > 0);
        Assert.Equal(totals[1], totals[0]);

        static long Total(SharpBpf.Maps.BpfMap counts)
        {
            var value = new byte[counts.HostValueSize];
            long total = 0;
            for (var key = 0u; key < counts.MaxEntries; key++)
            {
                Assert.Equal(SharpBpf.Maps.Errno.None, counts.Lookup(BitConverter.GetBytes(key), value));
                for (var cpu = 0; cpu + 8 <= value.Length; cpu += 8)
                {
                    total += BitConverter.ToInt64(value, cpu);
                }
            }

            return total;
        }
    }
}

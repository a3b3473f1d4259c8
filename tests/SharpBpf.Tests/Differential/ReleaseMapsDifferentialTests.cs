using SharpBpf.Kernel;
using SharpBpf.Runtime;
using SharpBpf.Tests.Kernel;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// R12/R31 end to end: after the host drops its user references, the connection tracker's armed timer is gone and
/// its next bpf_timer_init fails with -EPERM, which the program counts in stats[2] — the same in Linux and SharpBpf.
/// </summary>
public class ReleaseMapsDifferentialTests
{
    [KernelFact]
    public void Release_maps_frees_timers_and_later_inits_fail_in_both_worlds()
    {
        var path = Path.Combine(TestPaths.RepoRoot, "examples", "conntrack_timers.o");
        var udp = File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "examples", "packets", "ipv4_udp.bin"));
        var tcp = File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "examples", "packets", "ipv4_tcp.bin"));

        using var kernel = KernelObject.Open(path);
        using var ours = BpfObject.Load(path);
        Assert.Equal(kernel.Programs["track_connections"].Run(udp).ReturnValue, (uint)ours.Programs["track_connections"].Run(udp).ReturnValue);

        Assert.Single(ours.Timers.GetTimers());
        kernel.ReleaseMaps();
        ours.ReleaseMaps();
        Assert.Empty(ours.Timers.GetTimers());

        Assert.Equal(kernel.Programs["track_connections"].Run(tcp).ReturnValue, (uint)ours.Programs["track_connections"].Run(tcp).ReturnValue);
        var expected = MapContents.Of(kernel.Maps);
        Assert.Equal(Convert.ToHexStringLower(BitConverter.GetBytes(1L)), expected["stats[02000000]"]);
        Assert.Equal(expected.Where(e => e.Key.StartsWith("stats", StringComparison.Ordinal)),
            MapContents.Of(ours.Maps).Where(e => e.Key.StartsWith("stats", StringComparison.Ordinal)));
    }
}

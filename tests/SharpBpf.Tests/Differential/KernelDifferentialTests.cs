using SharpBpf.Kernel;
using SharpBpf.Runtime;
using SharpBpf.Tests.Kernel;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// The strongest evidence: every packet example runs in SharpBpf and in the machine's Linux kernel with the same
/// inputs, in the same order, maps kept between runs. Return values, data_out and the final contents of every
/// comparable map must be byte-identical. (The timer examples depend on real time; they are compared in
/// virtual-time and kernel timer tests instead.)
/// </summary>
public class KernelDifferentialTests
{
    private static readonly string[] TimerExamples = ["conntrack_timers.o", "health_check.o", "sampler.o"];

    public static TheoryData<string, EngineKind> Examples()
    {
        var data = new TheoryData<string, EngineKind>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "examples"), "*.o").Order(StringComparer.Ordinal))
        {
            if (!TimerExamples.Contains(Path.GetFileName(file)))
            {
                data.Add(Path.GetFileName(file), EngineKind.Interpreter);
                data.Add(Path.GetFileName(file), EngineKind.Jit);
            }
        }

        return data;
    }

    private static IEnumerable<string> Packets() =>
        Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "examples", "packets"), "*.bin").Order(StringComparer.Ordinal);

    [KernelTheory]
    [MemberData(nameof(Examples))]
    public void Example_behaves_as_in_linux(string example, EngineKind engine)
    {
        var path = Path.Combine(TestPaths.RepoRoot, "examples", example);
        using var ours = BpfObject.Load(path, new BpfObjectOptions { Engine = engine });
        using var kernel = KernelObject.Open(path);
        using var pinned = CpuPinning.PinToCpu0();
        var steps = 0;
        foreach (var program in ours.Programs)
        {
            foreach (var packet in Packets())
            {
                var data = File.ReadAllBytes(packet);
                var step = $"{program.Name} on {Path.GetFileName(packet)}";
                var expected = Outcome(() => kernel.Programs[program.Name].Run(data) is var r ? (r.ReturnValue, r.DataOut) : default);
                var actual = Outcome(() => program.Run(data) is var r ? ((uint)r.ReturnValue, r.DataOut) : default);
                Assert.True(expected == actual, $"{step}: kernel {expected}, SharpBpf {actual}");
                steps++;
            }
        }

        Assert.True(steps > 0);
        Assert.Equal(MapContents.Of(kernel.Maps), MapContents.Of(ours.Maps));
    }

    /// <summary>A run's observable result, or "refused" when the test run rejects the input in that world.</summary>
    private static string Outcome(Func<(uint Retval, byte[] DataOut)> run)
    {
        try
        {
            var (retval, dataOut) = run();
            return $"retval {retval}, data_out {Convert.ToHexStringLower(dataOut)}";
        }
        catch (Exception e) when (e is KernelCallException or ProgramInputException)
        {
            return "refused";
        }
    }
}

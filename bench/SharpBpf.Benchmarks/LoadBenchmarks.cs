using BenchmarkDotNet.Attributes;
using SharpBpf.Kernel;
using SharpBpf.Runtime;

namespace SharpBpf.Benchmarks;

/// <summary>
/// Load time of every examples/*.o: SharpBpf's BpfObject.Load (parse, link, verify, create maps; with the JIT the
/// default engine, and with the interpreter) against libbpf's open-and-load through the kernel (which includes the kernel verifier).
/// Each measurement includes Dispose, because the kernel side must close its file descriptors to stay repeatable.
/// Does not run the programs.
/// </summary>
public class LoadBenchmarks
{
    private byte[] _bytes = [];

    public static IEnumerable<string> Examples() =>
        Directory.GetFiles(BenchPaths.ExamplesDirectory, "*.o").Select(Path.GetFileName).Order().Cast<string>();

    [ParamsSource(nameof(Examples))]
    public string Example { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _bytes = File.ReadAllBytes(Path.Combine(BenchPaths.ExamplesDirectory, Example));

    [Benchmark(Baseline = true)]
    public int SharpBpfLoad()
    {
        using var loaded = BpfObject.Load(_bytes, Example);
        return loaded.Programs.Count;
    }

    [Benchmark]
    public int SharpBpfLoadInterpreter()
    {
        using var loaded = BpfObject.Load(_bytes, Example, new BpfObjectOptions { Engine = EngineKind.Interpreter });
        return loaded.Programs.Count;
    }

    [Benchmark]
    public int KernelOpen()
    {
        using var loaded = KernelObject.Open(_bytes, Example);
        return loaded.Programs.Count;
    }
}

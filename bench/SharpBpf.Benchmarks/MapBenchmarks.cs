using BenchmarkDotNet.Attributes;
using SharpBpf.Kernel;
using SharpBpf.Runtime;

namespace SharpBpf.Benchmarks;

/// <summary>Who runs bench/kernel/maps/map_ops.o: SharpBpf's interpreter, its JIT, or Linux via BPF_PROG_TEST_RUN.</summary>
public enum MapEngine
{
    Interpreter,
    Jit,
    Kernel,
}

/// <summary>
/// Map operations from a BPF loop: each program in map_ops.o runs <see cref="OperationsPerRun"/> bpf_loop callbacks,
/// each doing one lookup or update, so the reported mean is nanoseconds per map operation (loop cost included;
/// <c>empty_loop</c> measures that cost alone). The kernel column runs the same object through BPF_PROG_TEST_RUN
/// with repeat 1, so its figure includes one syscall per 10 000 operations (well under 1 ns/op).
/// Does not check map contents (the differential tests do); setup only checks every engine returns XDP_PASS.
/// </summary>
public class MapBenchmarks
{
    public const int OperationsPerRun = 10_000;
    private const uint XdpPass = 2;

    // Ethernet-sized zero frame: the kernel's XDP test run wants at least ETH_HLEN bytes.
    private static readonly byte[] s_packet = new byte[64];

    private BpfObject? _object;
    private KernelObject? _kernelObject;
    private BpfProgram? _program;
    private KernelProgram? _kernelProgram;

    [Params(MapEngine.Interpreter, MapEngine.Jit, MapEngine.Kernel)]
    public MapEngine Engine { get; set; }

    [Params("empty_loop", "array_lookup", "array_update", "hash_lookup", "hash_update", "array_lookup_key0", "hash_lookup_key0")]
    public string Operation { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        if (Engine == MapEngine.Kernel)
        {
            if (KernelAvailability.Check() is { } reason)
            {
                throw new InvalidOperationException($"the kernel engine is unavailable: {reason}");
            }

            _kernelObject = KernelObject.Open(BenchPaths.MapOpsObject);
            // Fill every hash key first, so hash_lookup hits and hash_update replaces.
            Expect(_kernelObject.Programs["hash_update"].Run(s_packet).ReturnValue);
            _kernelProgram = _kernelObject.Programs[Operation];
        }
        else
        {
            var engine = Engine == MapEngine.Jit ? EngineKind.Jit : EngineKind.Interpreter;
            _object = BpfObject.Load(BenchPaths.MapOpsObject, new BpfObjectOptions { Engine = engine });
            Expect(_object.Programs["hash_update"].Run(s_packet).ReturnValue);
            _program = _object.Programs[Operation];
        }

        // Warm up: the first SharpBpf run pays for .NET tiering and, with the JIT, for compiling to IL.
        for (var i = 0; i < 3; i++)
        {
            Expect(Run());
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _object?.Dispose();
        _kernelObject?.Dispose();
    }

    [Benchmark(OperationsPerInvoke = OperationsPerRun)]
    public ulong RunLoop() => Run();

    private ulong Run() => _program is not null
        ? _program.Run(s_packet).ReturnValue
        : _kernelProgram!.Run(s_packet).ReturnValue;

    private static void Expect(ulong returnValue)
    {
        if (returnValue != XdpPass)
        {
            throw new InvalidOperationException($"map_ops.o returned {returnValue}, expected XDP_PASS");
        }
    }
}

using BenchmarkDotNet.Attributes;
using SharpBpf.Execution;
using SharpBpf.Interpreter;
using SharpBpf.Jit;
using SharpBpf.Runtime;

namespace SharpBpf.Benchmarks;

/// <summary>
/// Issue 9 item 4: what dropping the checks the verifier proved saves. The same two programs in checked mode (every
/// access validated) and proven-unchecked mode (the default for verified objects), on the JIT and the interpreter:
/// examples/packet_parser.o through a <see cref="PacketRunner"/> on an IPv4/TCP packet (per packet, test-run
/// setup included), and a 64-iteration map-lookup loop (<see cref="MapLookupLoopProgram"/>, per run).
/// </summary>
[MemoryDiagnoser]
public class ProvenAccessBenchmarks
{
    private BpfObject _parserObject = null!;
    private PacketRunner _parser = null!;
    private byte[] _packet = [];
    private MapLookupLoopProgram _loopProgram = null!;
    private PreparedProgram _loop = null!;

    [Params(ExecutionMode.Checked, ExecutionMode.ProvenUnchecked)]
    public ExecutionMode Mode { get; set; }

    [Params(EngineKind.Jit, EngineKind.Interpreter)]
    public EngineKind Engine { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _parserObject = BpfObject.Load(Path.Combine(BenchPaths.ExamplesDirectory, "packet_parser.o"), new BpfObjectOptions { Mode = Mode, Engine = Engine });
        _parser = _parserObject.Programs.Single().CreatePacketRunner();
        _packet = File.ReadAllBytes(Path.Combine(BenchPaths.ExamplesDirectory, "packets", "ipv4_tcp.bin"));
        _loopProgram = new MapLookupLoopProgram();
        _loop = _loopProgram.Prepare(Engine == EngineKind.Jit ? new JitEngine() : InterpreterEngine.Instance, Mode, out _);
        if (_parser.Run(_packet) != 2 || _loop.Run(new RunContext()) == 0)
        {
            throw new InvalidOperationException("the benchmark programs did not give their expected results");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _parser.Dispose();
        _parserObject.Dispose();
        _loopProgram.Dispose();
    }

    [Benchmark]
    public uint PacketParser() => _parser.Run(_packet);

    [Benchmark(OperationsPerInvoke = 1)]
    public ulong MapLookupLoop() => _loop.Run(new RunContext());
}

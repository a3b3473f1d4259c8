using BenchmarkDotNet.Attributes;
using SharpBpf.Execution;
using SharpBpf.Interpreter;
using SharpBpf.Jit;

namespace SharpBpf.Benchmarks;

/// <summary>
/// The JIT against the interpreter on the same ALU loop. OperationsPerInvoke is the number of executed instructions,
/// so the reported mean is nanoseconds per executed BPF instruction (compilation happens once, in setup).
/// </summary>
[MemoryDiagnoser]
public class JitBenchmarks
{
    private PreparedProgram _jitChecked = null!;
    private PreparedProgram _jitUnchecked = null!;
    private PreparedProgram _interpreterChecked = null!;

    [GlobalSetup]
    public void Setup()
    {
        var program = AluLoopProgram.Build();
        var jit = new JitEngine();
        _jitChecked = jit.Prepare(program, new EngineOptions { Mode = ExecutionMode.Checked });
        _jitUnchecked = jit.Prepare(program, new EngineOptions { Mode = ExecutionMode.Unchecked });
        _interpreterChecked = InterpreterEngine.Instance.Prepare(program, new EngineOptions { Mode = ExecutionMode.Checked });
        _jitChecked.Run(new RunContext(), out var executed);
        if (executed != AluLoopProgram.ExecutedInstructions || _jitChecked.Run([]) != _interpreterChecked.Run([]))
        {
            throw new InvalidOperationException($"the JIT's ALU loop executed {executed} instructions or disagrees with the interpreter");
        }
    }

    [Benchmark(OperationsPerInvoke = AluLoopProgram.ExecutedInstructions)]
    public ulong JitAluLoopChecked() => _jitChecked.Run([]);

    [Benchmark(OperationsPerInvoke = AluLoopProgram.ExecutedInstructions)]
    public ulong JitAluLoopUnchecked() => _jitUnchecked.Run([]);

    [Benchmark(OperationsPerInvoke = AluLoopProgram.ExecutedInstructions, Baseline = true)]
    public ulong InterpreterAluLoopChecked() => _interpreterChecked.Run([]);
}

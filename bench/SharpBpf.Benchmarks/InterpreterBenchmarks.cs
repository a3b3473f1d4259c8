using BenchmarkDotNet.Attributes;
using SharpBpf.Execution;
using SharpBpf.Interpreter;

namespace SharpBpf.Benchmarks;

/// <summary>
/// Interpreter speed on the ALU loop. OperationsPerInvoke is the number of executed instructions, so the reported
/// mean is nanoseconds per executed BPF instruction.
/// </summary>
[MemoryDiagnoser]
public class InterpreterBenchmarks
{
    private PreparedProgram _checked = null!;
    private PreparedProgram _unchecked = null!;

    [GlobalSetup]
    public void Setup()
    {
        var program = AluLoopProgram.Build();
        _checked = InterpreterEngine.Instance.Prepare(program, new EngineOptions { Mode = ExecutionMode.Checked });
        _unchecked = InterpreterEngine.Instance.Prepare(program, new EngineOptions { Mode = ExecutionMode.Unchecked });
        _checked.Run(new RunContext(), out var executed);
        if (executed != AluLoopProgram.ExecutedInstructions)
        {
            throw new InvalidOperationException($"the ALU loop executed {executed} instructions, not {AluLoopProgram.ExecutedInstructions}");
        }
    }

    [Benchmark(OperationsPerInvoke = AluLoopProgram.ExecutedInstructions)]
    public ulong AluLoopChecked() => _checked.Run([]);

    [Benchmark(OperationsPerInvoke = AluLoopProgram.ExecutedInstructions, Baseline = true)]
    public ulong AluLoopUnchecked() => _unchecked.Run([]);
}

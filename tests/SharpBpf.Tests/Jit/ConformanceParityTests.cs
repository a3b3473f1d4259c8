using SharpBpf.Asm;
using SharpBpf.Execution;
using SharpBpf.Isa;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Runtime.Conformance;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Jit;

/// <summary>Every conformance file on both engines: the same r0 (or fault) and memory, and the same runner verdicts.</summary>
[Collection(nameof(EngineParityCollection))]
public class ConformanceParityTests
{
    private static string TestsFolder => Path.Combine(TestPaths.SharedConformance, "tests");

    [Fact]
    public void Every_runnable_conformance_program_behaves_identically_on_both_engines()
    {
        var options = new EngineOptions { Mode = ExecutionMode.Checked, Helpers = ConformanceHelpers.CreateRegistry() };
        var compared = 0;
        var disagreements = new List<string>();
        foreach (var path in Directory.EnumerateFiles(TestsFolder, "*.data").Order(StringComparer.Ordinal))
        {
            var data = ConformanceDataFile.Load(path);
            if (!data.HasProgram || ProgramValidator.FindFirstError(data.Program!) is not null)
            {
                continue;
            }

            var memory = data.Memory ?? [];
            var buffer = GC.AllocateArray<byte>(Math.Max(memory.Length, 1), pinned: true);
            var reference = EngineParity.Run(EngineParity.Interpreter, data.Program!, options, buffer, memory);
            compared++;
            foreach (var (name, engine) in new[] { ("jit", EngineParity.Jit), ("split jit", EngineParity.SplitJit) })
            {
                var jit = EngineParity.Run(engine, data.Program!, options, buffer, memory);
                if (reference.ToString() != jit.ToString())
                {
                    disagreements.Add($"{Path.GetFileName(path)}: interpreter {reference} / {name} {jit}");
                }
            }
        }

        Assert.Empty(disagreements);
        Assert.True(compared > 250, $"only {compared} conformance programs ran");
    }

    [Fact]
    public void The_conformance_runner_gives_the_jit_the_interpreters_verdict_on_every_file()
    {
        var interpreter = new ConformanceRunner(EngineParity.Interpreter);
        var jit = new ConformanceRunner(EngineParity.Jit);
        var splitJit = new ConformanceRunner(EngineParity.SplitJit);
        var files = ConformanceRunner.CollectFiles([TestsFolder]).ToList();
        var verdicts = new Dictionary<ConformanceVerdict, int>();
        foreach (var file in files)
        {
            var expected = interpreter.RunFile(file);
            var actual = jit.RunFile(file);
            Assert.Equal((expected.File, expected.Verdict, expected.Detail), (actual.File, actual.Verdict, actual.Detail));
            var split = splitJit.RunFile(file);
            Assert.Equal((expected.File, expected.Verdict, expected.Detail), (split.File, split.Verdict, split.Detail));
            verdicts[actual.Verdict] = verdicts.GetValueOrDefault(actual.Verdict) + 1;
        }

        Assert.True(verdicts.GetValueOrDefault(ConformanceVerdict.Passed) > 250);
    }
}

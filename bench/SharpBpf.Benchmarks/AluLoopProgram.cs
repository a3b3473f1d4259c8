using SharpBpf.Asm;
using SharpBpf.Isa;

namespace SharpBpf.Benchmarks;

/// <summary>
/// The tight ALU loop of issue 2, loaded from <c>Programs/alu-loop.data</c> (conformance syntax): 10,000 iterations
/// of an 8-instruction ALU body plus the loop branch.
/// </summary>
public static class AluLoopProgram
{
    public const int Iterations = 10_000;

    /// <summary>3 set-up instructions, 9 per iteration, 1 exit.</summary>
    public const int ExecutedInstructions = 3 + (9 * Iterations) + 1;

    public static string DataFile => Path.Combine(AppContext.BaseDirectory, "Programs", "alu-loop.data");

    /// <summary>The assembled program; throws when the file does not assemble.</summary>
    internal static Instruction[] Build() => Load().Program!;

    /// <summary>The file's <c>-- result</c>, which every engine must return.</summary>
    public static ulong ExpectedResult => Load().ExpectedResult!.Value;

    private static ConformanceDataFile Load()
    {
        var file = ConformanceDataFile.Load(DataFile);
        if (file.AssemblyError is { } error)
        {
            throw error;
        }

        return file;
    }
}

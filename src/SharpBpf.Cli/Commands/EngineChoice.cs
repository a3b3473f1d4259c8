using System.CommandLine;
using SharpBpf.Execution;
using System.Diagnostics.CodeAnalysis;
using SharpBpf.Interpreter;
using SharpBpf.Jit;

namespace SharpBpf.Cli.Commands;

/// <summary>The <c>--engine</c> option shared by the commands that run programs.</summary>
internal static class EngineChoice
{
    public static Option<string> CreateOption(string defaultEngine, params string[] allowed)
    {
        var option = new Option<string>("--engine")
        {
            Description = $"execution engine: {string.Join(", ", allowed)} (default {defaultEngine})",
            DefaultValueFactory = _ => defaultEngine,
        };
        option.AcceptOnlyFromAmong(allowed);
        return option;
    }

    /// <summary>
    /// <c>--checked</c>: check every memory access at run time, the ones the verifier proved too. Without it the proven
    /// accesses run unchecked (<see cref="ExecutionMode.ProvenUnchecked"/>).
    /// </summary>
    public static Option<bool> CreateCheckedOption() => new("--checked")
    {
        Description = "check every memory access at run time, also those the verifier proved in bounds",
    };

    public static ExecutionMode ModeFor(bool checkEveryAccess) =>
        checkEveryAccess ? ExecutionMode.Checked : ExecutionMode.ProvenUnchecked;

    public static IExecutionEngine Resolve(string name) => name switch
    {
        "interpreter" => InterpreterEngine.Instance,
        // Where the runtime cannot generate code (NativeAOT) asking for the JIT is a usage error, not a silent fallback.
        "jit" => JitEngine.IsSupported
            ? CreateJit()
            : throw new UsageException("the jit engine needs dynamic code generation, which this build of sharpbpf lacks; use --engine interpreter"),
        _ => throw new UsageException($"unknown engine '{name}'"),
    };

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "only called after JitEngine.IsSupported")]
    private static JitEngine CreateJit() => new();
}

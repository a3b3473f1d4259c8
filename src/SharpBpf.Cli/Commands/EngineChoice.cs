using System.CommandLine;
using SharpBpf.Execution;
using SharpBpf.Interpreter;

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

    public static IExecutionEngine Resolve(string name) => name switch
    {
        "interpreter" => InterpreterEngine.Instance,
        // The IL JIT is planned; until it lands, asking for it is a usage error rather than a silent fallback.
        "jit" => throw new UsageException("the jit engine is not available in this build yet; use --engine interpreter"),
        _ => throw new UsageException($"unknown engine '{name}'"),
    };
}

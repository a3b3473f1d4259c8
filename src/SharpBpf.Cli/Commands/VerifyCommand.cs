using System.CommandLine;
using System.Text.Json;
using SharpBpf.Cli.Output;
using SharpBpf.Loader;
using SharpBpf.Runtime;
using SharpBpf.Verifier;

namespace SharpBpf.Cli.Commands;

/// <summary>
/// <c>sharpbpf verify OBJ.o [--prog NAME] [--log-level 0|1|2] [--json]</c>: the verifier's verdict on every program
/// of an object (or one), as the kernel would give it at load, without running anything. Exit 0 when every
/// verified program is accepted, 1 when any is rejected.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<FileInfo>("OBJ") { Description = "an ELF object compiled with clang -target bpf" };
        var program = new Option<string?>("--prog") { Description = "verify only this program" };
        var logLevel = new Option<string>("--log-level")
        {
            Description = "0: verdicts only; 1: the failing path of rejected programs; 2: every instruction with register state",
            DefaultValueFactory = _ => "0",
        };
        logLevel.AcceptOnlyFromAmong("0", "1", "2");
        var json = new Option<bool>("--json") { Description = "machine-readable output (stable shape)" };
        var engine = new Option<string>("--engine")
        {
            Description = "sharpbpf (default): SharpBpf's verifier; kernel: load each program into this machine's Linux and report its verdict",
            DefaultValueFactory = _ => "sharpbpf",
        };
        engine.AcceptOnlyFromAmong("sharpbpf", "kernel");
        var command = new Command("verify", "Verify an object's programs as the kernel's verifier would.") { file, program, logLevel, json, engine };
        command.SetAction(parse => console.Guard(() =>
        {
            var path = parse.GetRequiredValue(file).FullName;
            var spec = ObjectLoader.LoadFile(path);
            var name = parse.GetValue(program);
            var options = new VerifierOptions { LogLevel = int.Parse(parse.GetRequiredValue(logLevel), System.Globalization.CultureInfo.InvariantCulture) };
            var programs = ProgramsToVerify(spec, name, path).ToList();
            var results = parse.GetValue(engine) == "kernel"
                ? [.. programs.Select(p => KernelVerdict(path, p.Name))]
                : programs.Select(p => ObjectVerifier.Verify(spec, p, options)).Select(r => new VerifyVerdict(r.Program, r.Accepted, r.Error, r.InstructionIndex, r.Log)).ToList();

            if (parse.GetValue(json))
            {
                WriteJson(console.Out, results, single: name is not null);
            }
            else
            {
                WriteHuman(console.Out, results, options.LogLevel, Path.GetFileName(path));
            }

            var rejected = results.Where(r => !r.Accepted).Select(r => r.Program).ToList();
            if (rejected.Count == 0) return ExitCodes.Success;

            // The contract's summary on stderr; the details are in the report on stdout.
            console.Error.WriteLine($"sharpbpf: {rejected.Count} of {results.Count} program{(results.Count == 1 ? "" : "s")} rejected: {string.Join(", ", rejected)}");
            return ExitCodes.Rejected;
        }));
        return command;
    }

    private static IEnumerable<ProgramSpec> ProgramsToVerify(CollectionSpec spec, string? name, string path) =>
        name is null
            ? spec.Programs
            : [spec.FindProgram(name) ?? throw new UsageException(
                $"no program named '{name}' in {Path.GetFileName(path)} (there are: {string.Join(", ", spec.Programs.Select(p => p.Name))})")];

    /// <summary>
    /// Linux's verdict on one program: the object loaded with only that program (libbpf stops at the first program
    /// the kernel rejects, which would hide the verdicts of the others), its reason line and instruction read from the
    /// kernel's log as SharpBpf prints its own.
    /// </summary>
    private static VerifyVerdict KernelVerdict(string path, string program)
    {
        if (Kernel.KernelAvailability.Check() is { } reason)
        {
            throw new UsageException($"the kernel engine is not available here: {reason}");
        }

        try
        {
            using var loaded = Kernel.KernelObject.Open(path, program);
            return new VerifyVerdict(program, true, null, null, "");
        }
        catch (Kernel.KernelLoadException e) when (e.VerifierLog is { } log)
        {
            var (error, insn) = Kernel.KernelVerifierLog.ReasonOf(log);
            return new VerifyVerdict(program, false, error ?? e.Message, insn, log);
        }
        catch (Kernel.KernelLoadException e)
        {
            // libbpf refused before the kernel's verifier ran (relocations, externs, BTF): its words are the verdict.
            return new VerifyVerdict(program, false, e.Message, null, e.Log ?? "");
        }
    }

    /// <summary>With --prog exactly the one verdict object; otherwise every verdict under "programs".</summary>
    private static void WriteJson(TextWriter writer, IReadOnlyList<VerifyVerdict> verdicts, bool single)
    {
        writer.WriteLine(single
            ? JsonSerializer.Serialize(verdicts[0], CliJsonContext.Relaxed.VerifyVerdict)
            : JsonSerializer.Serialize(new VerifyReport(verdicts.All(v => v.Accepted), verdicts), CliJsonContext.Relaxed.VerifyReport));
    }

    /// <summary>
    /// One line per program; below a rejected program's line its log from level 1 on, below every program's line
    /// its log at level 2 (the whole walk is what level 2 is asked for).
    /// </summary>
    private static void WriteHuman(TextWriter writer, IReadOnlyList<VerifyVerdict> results, int logLevel, string fileName)
    {
        if (results.Count == 0)
        {
            writer.WriteLine($"{fileName}: no programs");
            return;
        }

        foreach (var result in results)
        {
            writer.WriteLine(Verdict(result));
            var showLog = logLevel >= 2 || (logLevel >= 1 && !result.Accepted);
            if (showLog && result.Log.Length > 0)
            {
                writer.Write(result.Log.EndsWith('\n') ? result.Log : result.Log + "\n");
            }
        }
    }

    private static string Verdict(VerifyVerdict result) => result switch
    {
        { Accepted: true } => $"{result.Program}: accepted",
        { Insn: { } insn } => $"{result.Program}: rejected at insn {insn}: {result.Error}",
        _ => $"{result.Program}: rejected: {result.Error}",
    };
}

using System.CommandLine;
using System.Text.Json;
using SharpBpf.Cli.Output;
using SharpBpf.Cli.Run;
using SharpBpf.Kernel;
using SharpBpf.Runtime;
using SharpBpf.Time;

namespace SharpBpf.Cli.Commands;

/// <summary>
/// <c>sharpbpf run OBJ.o</c>: load the object (SharpBpf or the kernel), perform the steps in order, and report run
/// results, maps, timers and trace lines as CLI.md's contract says.
/// </summary>
internal static class RunCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<FileInfo>("OBJ") { Description = "an ELF object compiled with clang -target bpf" };
        var program = new Option<string?>("--prog") { Description = "the program to run (default: the only one)" };
        var dataIn = new Option<FileInfo?>("--data-in") { Description = "packet bytes for packet programs" };
        var ctxIn = new Option<FileInfo?>("--ctx-in") { Description = "context bytes (struct xdp_md, __sk_buff, or a raw context)" };
        var repeat = new Option<int>("--repeat") { Description = "runs per run step, like BPF_PROG_TEST_RUN", DefaultValueFactory = _ => 1 };
        var engine = EngineChoice.CreateOption(Jit.JitEngine.IsSupported ? "jit" : "interpreter", "interpreter", "jit", "kernel");
        var clock = new Option<string>("--clock") { Description = "virtual (default) or real", DefaultValueFactory = _ => "virtual" };
        clock.AcceptOnlyFromAmong("virtual", "real");
        var steps = new Option<string[]>("--step") { Description = "run:NAME advance:DURATION wait:DURATION update:MAP:KEY:VALUE delete:MAP:KEY release-maps", AllowMultipleArgumentsPerToken = false };
        var showTimers = new Option<bool>("--show-timers") { Description = "list armed timers after the last step" };
        var dumpMaps = new Option<bool>("--dump-maps") { Description = "print every map after the last step" };
        var trace = new Option<bool>("--trace") { Description = "print bpf_printk output" };
        var json = new Option<bool>("--json") { Description = "machine-readable output (stable shape)" };
        var checkEveryAccess = EngineChoice.CreateCheckedOption();
        var kconfig = KconfigChoice.CreateOption();
        var command = new Command("run", "Load an object and run its programs, step by step.")
        {
            file, program, dataIn, ctxIn, repeat, engine, clock, steps, showTimers, dumpMaps, trace, json, checkEveryAccess, kconfig,
        };
        command.SetAction(parse => console.Guard(() =>
        {
            if (parse.GetValue(repeat) < 1)
            {
                throw new UsageException("--repeat must be at least 1");
            }

            var path = parse.GetRequiredValue(file).FullName;
            var data = parse.GetValue(dataIn) is { } d ? File.ReadAllBytes(d.FullName) : [];
            var context = parse.GetValue(ctxIn) is { } c ? File.ReadAllBytes(c.FullName) : [];
            var parsedSteps = (parse.GetValue(steps) ?? []).Select(RunStep.Parse).ToList();
            var clockName = parse.GetValue(clock)!;
            using var session = Open(path, parse.GetValue(engine)!, clockName, EngineChoice.ModeFor(parse.GetValue(checkEveryAccess)),
                KconfigChoice.Read(parse.GetValue(kconfig)));
            if (parsedSteps.Count == 0)
            {
                parsedSteps.Add(new RunStep(RunStepKind.Run, parse.GetValue(program) ?? OnlyProgram(session)));
            }

            var results = new List<RunResult>();
            foreach (var step in parsedSteps)
            {
                Perform(session, step, data, context, parse.GetValue(repeat), results);
            }

            var report = new RunReport(session.Engine, session.Engine == "kernel" ? "real" : clockName, results,
                parse.GetValue(dumpMaps) ? session.DumpMaps() : null,
                parse.GetValue(trace) ? session.Trace() : null,
                parse.GetValue(showTimers) ? session.Timers() : null);
            if (parse.GetValue(json))
            {
                console.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Relaxed.RunReport));
            }
            else
            {
                RunPrinter.Write(console.Out, report, session.Display);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static IRunSession Open(string path, string engine, string clock, Execution.ExecutionMode mode, string? kernelConfig)
    {
        if (engine == "kernel")
        {
            if (KernelAvailability.Check() is { } reason)
            {
                throw new UsageException($"the kernel engine is not available here: {reason}");
            }

            return new KernelSession(KernelObject.Open(path), Loader.ObjectLoader.LoadFile(path));
        }

        var options = new BpfObjectOptions
        {
            Engine = engine == "jit" ? EngineKind.Jit : EngineKind.Interpreter,
            Clock = clock == "real" ? SystemClock.Instance : new VirtualClock(),
            Mode = mode,
            KernelConfig = kernelConfig,
        };
        return new SharpBpfSession(BpfObject.Load(path, options), engine);
    }

    private static string OnlyProgram(IRunSession session) => session.ProgramNames.Count == 1
        ? session.ProgramNames[0]
        : throw new UsageException($"the object has {session.ProgramNames.Count} programs; choose one with --prog or run:NAME steps ({string.Join(", ", session.ProgramNames)})");

    private static void Perform(IRunSession session, RunStep step, byte[] data, byte[] context, int repeat, List<RunResult> results)
    {
        switch (step.Kind)
        {
            case RunStepKind.Run:
                if (!session.ProgramNames.Contains(step.Name!))
                {
                    throw new UsageException($"no program named '{step.Name}' (there are: {string.Join(", ", session.ProgramNames)})");
                }

                results.Add(session.Run(step.Name!, data, context, repeat));
                break;
            case RunStepKind.Advance:
                session.Advance(step.DurationNs);
                break;
            case RunStepKind.Wait:
                session.Wait(step.DurationNs);
                break;
            case RunStepKind.Update:
                session.Update(step.Name!, step.Key!, step.Value!);
                break;
            case RunStepKind.Delete:
                session.Delete(step.Name!, step.Key!);
                break;
            case RunStepKind.ReleaseMaps:
                session.ReleaseMaps();
                break;
        }
    }
}

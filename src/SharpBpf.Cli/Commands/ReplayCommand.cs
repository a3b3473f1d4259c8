using System.CommandLine;
using System.Text.Json;
using SharpBpf.Capture;
using SharpBpf.Cli.Output;
using SharpBpf.Cli.Run;
using SharpBpf.Execution;
using SharpBpf.Loader;
using SharpBpf.Runtime;
using SharpBpf.Runtime.Replay;
using SharpBpf.Time;

namespace SharpBpf.Cli.Commands;

/// <summary>
/// <c>sharpbpf replay OBJ.o --pcap FILE</c>: every packet of a capture through an XDP program, with time that follows
/// the capture (virtual) or the wall clock (real); a live view on a terminal, a summary at the end (CLI.md).
/// </summary>
internal static class ReplayCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<FileInfo>("OBJ") { Description = "an ELF object compiled with clang -target bpf" };
        var pcap = new Option<FileInfo>("--pcap") { Description = "the capture: pcap (micro- or nanoseconds, either byte order) or pcapng", Required = true };
        var program = new Option<string?>("--prog") { Description = "the XDP program (default: the only one)" };
        var engine = EngineChoice.CreateOption(Jit.JitEngine.IsSupported ? "jit" : "interpreter", "interpreter", "jit");
        var clock = new Option<string>("--clock") { Description = "virtual (default: the capture drives time) or real", DefaultValueFactory = _ => "virtual" };
        clock.AcceptOnlyFromAmong("virtual", "real");
        var speed = new Option<double>("--speed") { Description = "real clock: pace the packets this many times faster than captured", DefaultValueFactory = _ => 1 };
        var drain = new Option<string?>("--drain") { Description = "let this much more time pass after the last packet (e.g. 2s)" };
        var output = new Option<FileInfo?>("--out") { Description = "write the packets passed or transmitted (XDP_PASS, XDP_TX) to this pcap" };
        var plot = new Option<FileInfo?>("--plot") { Description = "draw the replay over capture time (.svg or .png)" };
        var dumpMaps = new Option<bool>("--dump-maps") { Description = "print every map at the end" };
        var showTimers = new Option<bool>("--show-timers") { Description = "list armed timers at the end" };
        var json = new Option<bool>("--json") { Description = "machine-readable summary (stable shape)" };
        var kconfig = KconfigChoice.CreateOption();
        var checkEveryAccess = EngineChoice.CreateCheckedOption();
        var command = new Command("replay", "Replay a packet capture through an XDP program, time following the capture.")
        {
            file, pcap, program, engine, clock, speed, drain, output, plot, dumpMaps, showTimers, json, kconfig, checkEveryAccess,
        };
        command.SetAction(parse => console.Guard(() =>
        {
            if (!(parse.GetValue(speed) > 0) || double.IsInfinity(parse.GetValue(speed)))
            {
                throw new UsageException("--speed must be a positive number");
            }

            var drainNs = parse.GetValue(drain) is { } d ? RunStep.ParseDuration(d, "--drain") : 0;
            if (parse.GetValue(plot) is { } picture && ReplayPlot.FormatOf(picture.Name) is null)
            {
                throw new UsageException($"--plot {picture.Name}: the picture must be a .svg or .png file");
            }

            var capturePath = parse.GetRequiredValue(pcap).FullName;
            var isVirtual = parse.GetValue(clock) == "virtual";
            using var capture = CaptureReader.Open(capturePath);
            var options = new BpfObjectOptions
            {
                Engine = parse.GetValue(engine) == "jit" ? EngineKind.Jit : EngineKind.Interpreter,
                Clock = isVirtual ? CaptureReplay.VirtualClockFor(capturePath) : SystemClock.Instance,
                Mode = EngineChoice.ModeFor(parse.GetValue(checkEveryAccess)),
                KernelConfig = KconfigChoice.Read(parse.GetValue(kconfig)),
            };
            using var session = new SharpBpfSession(BpfObject.Load(parse.GetRequiredValue(file).FullName, options), parse.GetValue(engine)!);
            var obj = session.Object;
            var programName = parse.GetValue(program) ?? OnlyXdpProgram(obj);
            if (!obj.Programs.TryGet(programName, out _))
            {
                throw new UsageException($"no program named '{programName}' (there are: {string.Join(", ", obj.Programs.Select(p => p.Name))})");
            }

            if (obj.Programs[programName].Type != ProgramType.Xdp)
            {
                throw new UsageException($"replay runs XDP programs; '{programName}' is {obj.Programs[programName].Spec.TypeName}");
            }

            using var writer = parse.GetValue(output) is { } o ? new PcapWriter(o.FullName) : null;
            var replayOptions = new ReplayOptions { Speed = parse.GetValue(speed), Drain = TimeSpan.FromTicks(drainNs / 100), Output = writer };
            var summary = ReplayLiveView.IsWanted(console, parse.GetValue(json))
                ? ReplayLiveView.Run(console, obj, programName, capture, replayOptions, new FileInfo(capturePath).Length)
                : CaptureReplay.Run(obj, programName, capture, replayOptions);

            if (parse.GetValue(plot) is { } plotFile)
            {
                ReplayPlot.Write(summary, plotFile.FullName);
            }

            var report = new ReplayReport(session.Engine, isVirtual ? "virtual" : "real", summary.Program, summary.Packets, summary.Bytes,
                XdpVerdicts.Names.Select((name, i) => (name, i)).ToDictionary(v => v.name, v => summary.Verdicts[v.i]),
                new ReplayTimers(summary.TimersFired, summary.TimersArmedAtEnd), summary.CaptureNs, summary.ElapsedNs,
                (long)summary.PacketsPerSecond, writer is null ? null : summary.PacketsWritten,
                parse.GetValue(dumpMaps) ? session.DumpMaps() : null,
                parse.GetValue(showTimers) ? session.Timers() : null,
                summary.Error?.Message);
            if (parse.GetValue(json))
            {
                console.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Relaxed.ReplayReport));
            }
            else
            {
                ReplayPrinter.Write(console.Out, report, session.Display);
            }

            return summary.Error switch
            {
                null => ExitCodes.Success,
                ProgramFaultException fault => Fail(console, fault.Message, ExitCodes.Fault),
                var other => Fail(console, other.Message, ExitCodes.BadInput),
            };
        }));
        return command;
    }

    private static int Fail(CliConsole console, string message, int code)
    {
        console.Error.WriteLine($"sharpbpf: {message}");
        return code;
    }

    private static string OnlyXdpProgram(BpfObject obj)
    {
        var xdp = obj.Programs.Where(p => p.Type == ProgramType.Xdp).Select(p => p.Name).ToList();
        return xdp.Count == 1
            ? xdp[0]
            : throw new UsageException(xdp.Count == 0
                ? $"the object has no XDP program (there are: {string.Join(", ", obj.Programs.Select(p => p.Name))})"
                : $"the object has {xdp.Count} XDP programs; choose one with --prog ({string.Join(", ", xdp)})");
    }
}

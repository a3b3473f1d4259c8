using System.Diagnostics;
using SharpBpf.Kernel;
using SharpBpf.Loader;
using SharpBpf.Runtime;
using SharpBpf.Tests.Kernel;
using SharpBpf.Time;
using SharpBpf.Verifier;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// Data/corpus: realistic timer programs (ok_*) that Linux accepts, and the same programs with one realistic mistake
/// each (bad_*) whose kernel verdicts are in Data/corpus/expected.txt. SharpBpf must accept the first (also checked by
/// NoFalseRejectionTests), reject the second with the kernel's words and instruction, and run the first as Linux
/// does: every program on every corpus packet, then the timers fire (50 ms real in Linux, virtual here), and every
/// return value and every map must match. What SharpBpf cannot do yet is a skipped test with its reason.
/// </summary>
public class CorpusDifferentialTests
{
    /// <summary>
    /// Mistakes Linux refuses that SharpBpf does not (yet) refuse as Linux does, and why: each is reported as a
    /// skipped test with this reason. Deleting an entry turns its object into a failing test of SharpBpf's verdict.
    /// </summary>
    private static readonly Dictionary<string, string> NotYetAsLinux = new(StringComparer.Ordinal)
    {
    };

    /// <summary>
    /// Accepted programs SharpBpf cannot run as Linux does yet, and why: each is a skipped test with this reason.
    /// Deleting an entry turns it into a failing run.
    /// </summary>
    private static readonly Dictionary<string, string> NotYetRunnable = new(StringComparer.Ordinal)
    {
        ["ok_loops_and_stack"] = "bpf_for_each_map_elem over a HASH map visits elements in SharpBpf's order, not the kernel's bucket order: walk_windows records the first hot key (Linux 1, SharpBpf 0)",
    };

    /// <summary>
    /// Below this, a kernel run loop is too short for any timer of the corpus to fire inside it; a difference is then
    /// a real one at once, while above it the difference may come from a timer that fired late under load, and the
    /// comparison is tried again.
    /// </summary>
    private static readonly TimeSpan QuietLoop = TimeSpan.FromMilliseconds(10);

    private const int Attempts = 3;

    private static KernelVerdicts.VerdictTable Corpus => KernelVerdicts.Corpus;

    public static TheoryData<string> Accepted => [.. Corpus.Accepted];

    public static TheoryData<string> Rejected => [.. Corpus.Rejected.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_bad_object_has_a_kernel_verdict_and_every_source_both_builds()
    {
        var objects = Directory.EnumerateFiles(Corpus.Folder, "*.o").Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        Assert.All(objects.Where(o => o.StartsWith("bad_", StringComparison.Ordinal)), o => Assert.True(Corpus.Rejected.ContainsKey(o), $"{o} has no line in expected.txt"));
        Assert.All(Directory.EnumerateFiles(Corpus.Folder, "*.c").Select(Path.GetFileNameWithoutExtension), source =>
            Assert.True(objects.Contains($"{source}_v3.o") && objects.Contains($"{source}_v4.o"), $"{source}.c is not built for v3 and v4"));
        Assert.All(NotYetAsLinux.Keys.Concat(NotYetRunnable.Keys), source => Assert.Contains($"{source}_v3.o", objects));
    }

    [RecordedKernelTheory(RecordedOn = KernelVerdicts.RecordedOn)]
    [MemberData(nameof(Rejected))]
    public void Linux_rejects_each_mistake_with_the_measured_error(string objectName)
        => Corpus.AssertLinuxRejects(objectName);

    [SkippableTheory]
    [MemberData(nameof(Rejected))]
    public void SharpBpf_rejects_each_mistake_as_Linux_does(string objectName)
    {
        Skip.If(NotYetAsLinux.TryGetValue(Source(objectName), out var gap), gap);
        var expected = Corpus.Rejected[objectName];
        var spec = ObjectLoader.LoadFile(Corpus.PathOf(objectName));
        var result = ObjectVerifier.Verify(spec, spec.FindProgram(expected.Program)!, new VerifierOptions { LogLevel = 1 });
        Assert.False(result.Accepted, $"{objectName}: SharpBpf accepts what Linux rejects with '{expected.Error}'");
        Corpus.AssertSameRejection(objectName, result.Program, result.Error, result.InstructionIndex);

        var error = Assert.Throws<VerificationException>(() => BpfObject.Load(Corpus.PathOf(objectName)));
        Corpus.AssertSameRejection(objectName, error.Program, error.Summary, error.InstructionIndex);
    }

    /// <summary>
    /// Linux runs first, all in a row; SharpBpf's virtual clock then follows the kernel's clock: before each run it
    /// stands where the kernel's run began, and at the end where the kernel's wait ended. A timer that fired between
    /// two kernel runs therefore fires between the same two runs here, however slow the machine was. A slow, busy
    /// machine can still fire a kernel timer late; a difference after a slow loop is tried again.
    /// </summary>
    [KernelTheory]
    [MemberData(nameof(Accepted))]
    public void Each_program_runs_as_in_Linux(string objectName)
    {
        Skip.If(NotYetRunnable.TryGetValue(Source(objectName), out var gap), gap);
        var path = Corpus.PathOf(objectName);
        using var pinned = CpuPinning.PinToCpu0();
        for (var attempt = 1; ; attempt++)
        {
            var (differences, loop) = CompareOnce(path);
            if (differences.Count == 0) return;
            if (loop < QuietLoop || attempt == Attempts)
            {
                Assert.Fail($"attempt {attempt}, kernel loop {loop.TotalMilliseconds:F1} ms:\n" + string.Join("\n", differences));
            }
        }
    }

    private static (List<string> Differences, TimeSpan Loop) CompareOnce(string path)
    {
        using var kernel = KernelBuildDifferences.OpenOrSkip(path);
        var clock = new VirtualClock();
        using var ours = BpfObject.Load(path, new BpfObjectOptions { Clock = clock });

        // Context out is compared where a context went in: without one, Linux's packet test runs return none.
        var runs = ours.Programs.SelectMany(program => Inputs(program).Select(input => (Program: program, input.Name, input.Packet, input.Context))).ToList();
        Assert.NotEmpty(runs);
        var began = new long[runs.Count];
        var origin = Stopwatch.GetTimestamp();
        var linux = new List<string>(runs.Count);
        for (var i = 0; i < runs.Count; i++)
        {
            var r = runs[i];
            began[i] = Nanoseconds(Stopwatch.GetElapsedTime(origin));
            linux.Add(Outcome(() => kernel.Programs[r.Program.Name].Run(r.Packet, r.Context) is var k ? (k.ReturnValue, r.Context.Length > 0 ? k.ContextOut : []) : default));
        }

        var loop = Stopwatch.GetElapsedTime(origin);
        // No comparison before the timers fire: Linux's sub-millisecond timers may already have run by now.
        kernel.WaitRealTime(TimeSpan.FromMilliseconds(50));
        var waited = Nanoseconds(Stopwatch.GetElapsedTime(origin));

        var sharp = new List<string>(runs.Count);
        var zero = clock.Now;
        for (var i = 0; i < runs.Count; i++)
        {
            var r = runs[i];
            clock.AdvanceTo(zero + began[i] - began[0]);
            sharp.Add(Outcome(() => r.Program.Run(r.Packet, r.Context) is var o ? ((uint)o.ReturnValue, r.Context.Length > 0 ? o.ContextOut : []) : default));
        }

        clock.AdvanceTo(zero + waited - began[0]);
        var differences = Enumerable.Range(0, runs.Count).Where(i => linux[i] != sharp[i])
            .Select(i => $"{runs[i].Program.Name} on {runs[i].Name}: kernel {linux[i]}, SharpBpf {sharp[i]}").ToList();
        var expected = MapContents.Of(kernel.Maps);
        var actual = MapContents.Of(ours.Maps);
        differences.AddRange(expected.Keys.Union(actual.Keys).Where(k => expected.GetValueOrDefault(k) != actual.GetValueOrDefault(k))
            .Select(k => $"{k}: kernel {expected.GetValueOrDefault(k) ?? "absent"}, SharpBpf {actual.GetValueOrDefault(k) ?? "absent"}"));
        return (differences, loop);
    }

    /// <summary>
    /// Packet programs get the corpus packets (XDP also the raw message batches). ok_syscall_args's control reads
    /// its context as <c>struct args</c> (slot, op, delay) and gets four; every other syscall program runs once
    /// (with a zeroed context it ignores), since a second run would race Linux's real-time timers against the first.
    /// </summary>
    private static IEnumerable<(string Name, byte[] Packet, byte[] Context)> Inputs(BpfProgram program) =>
        program.Type == ProgramType.Xdp ? [.. CorpusPackets.Frames.Concat(CorpusPackets.MessageBatches).Select(p => (p.Name, p.Bytes, Array.Empty<byte>()))]
        : program.IsPacketProgram ? [.. CorpusPackets.Frames.Select(p => (p.Name, p.Bytes, Array.Empty<byte>()))]
        : program.Name == "control"
            ? [("arm slot 1", [], SyscallArgs(1, 0, 20_000_000)), ("arm slot 2", [], SyscallArgs(2, 0, 20_000_000)),
               ("cancel slot 2", [], SyscallArgs(2, 1, 0)), ("arm slot 9", [], SyscallArgs(9, 0, 1))]
            : [("once", [], SyscallArgs(0, 0, 0))];

    private static byte[] SyscallArgs(uint slot, uint op, ulong delay) =>
        [.. BitConverter.GetBytes(slot), .. BitConverter.GetBytes(op), .. BitConverter.GetBytes(delay), .. new byte[8]];

    private static string Outcome(Func<(uint Retval, byte[] ContextOut)> run)
    {
        try
        {
            var (retval, contextOut) = run();
            return $"retval {retval}, context out {Convert.ToHexStringLower(contextOut)}";
        }
        catch (Exception e) when (e is KernelCallException or ProgramInputException)
        {
            return "refused";
        }
    }

    private static long Nanoseconds(TimeSpan elapsed) => elapsed.Ticks * 100;

    /// <summary>bad_memcpy_timer_v4.o → bad_memcpy_timer.</summary>
    private static string Source(string objectName) => Path.GetFileNameWithoutExtension(objectName)[..^3];
}

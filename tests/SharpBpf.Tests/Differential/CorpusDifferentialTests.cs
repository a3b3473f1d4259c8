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
/// return value and every map must match.
/// </summary>
public class CorpusDifferentialTests
{
    /// <summary>
    /// Mistakes Linux refuses that SharpBpf does not (yet) refuse as Linux does, and why. Deleting an entry turns its
    /// object into a failing test of SharpBpf's verdict.
    /// </summary>
    private static readonly Dictionary<string, string> NotYetAsLinux = new(StringComparer.Ordinal)
    {
        ["bad_global_value_arg"] = "global function arguments are not checked against their BTF types (a map value with a timer passed as plain memory)",
        ["bad_loop_ctx_map_value"] = "bpf_loop's callback_ctx (R3) is not checked to point to the stack",
        ["bad_infinite_loop"] = "the kernel's 'infinite loop detected' comes from an imprecise stack counter; SharpBpf widens and accepts",
        ["bad_ringbuf_from_packet"] = "helper memory arguments are not checked against the helper's packet-access permission",
        ["bad_ringbuf_leak"] = "references (ring buffer records) are not tracked (docs/verifier.md: not proven yet)",
        ["bad_xdp_unchecked_udp"] = "packet bounds are not proven (docs/verifier.md: checked mode guards them at run time)",
    };

    /// <summary>Accepted programs SharpBpf cannot run yet, and why. Deleting an entry turns it into a failing run.</summary>
    private static readonly Dictionary<string, string> NotYetRunnable = new(StringComparer.Ordinal)
    {
        ["ok_loops_and_stack"] = "bpf_for_each_map_elem over a HASH map visits elements in SharpBpf's order, not the kernel's bucket order: walk_windows records the first hot key (Linux 1, SharpBpf 0)",
    };

    private static KernelVerdicts.VerdictTable Corpus => KernelVerdicts.Corpus;

    public static TheoryData<string> Runnable => [.. Corpus.Accepted.Where(o => !NotYetRunnable.ContainsKey(Source(o)))];

    public static TheoryData<string> Rejected => [.. Corpus.Rejected.Keys.Order(StringComparer.Ordinal)];

    public static TheoryData<string> RejectedAsLinux => [.. Corpus.Rejected.Keys.Where(o => !NotYetAsLinux.ContainsKey(Source(o))).Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_bad_object_has_a_kernel_verdict_and_every_source_both_builds()
    {
        var objects = Directory.EnumerateFiles(Corpus.Folder, "*.o").Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        Assert.All(objects.Where(o => o.StartsWith("bad_", StringComparison.Ordinal)), o => Assert.True(Corpus.Rejected.ContainsKey(o), $"{o} has no line in expected.txt"));
        Assert.All(Directory.EnumerateFiles(Corpus.Folder, "*.c").Select(Path.GetFileNameWithoutExtension), source =>
            Assert.True(objects.Contains($"{source}_v3.o") && objects.Contains($"{source}_v4.o"), $"{source}.c is not built for v3 and v4"));
        Assert.All(NotYetAsLinux.Keys.Concat(NotYetRunnable.Keys), source => Assert.Contains($"{source}_v3.o", objects));
    }

    [KernelTheory]
    [MemberData(nameof(Rejected))]
    public void Linux_rejects_each_mistake_with_the_measured_error(string objectName)
        => Corpus.AssertLinuxRejects(objectName);

    [Theory]
    [MemberData(nameof(RejectedAsLinux))]
    public void SharpBpf_rejects_each_mistake_as_Linux_does(string objectName)
    {
        var expected = Corpus.Rejected[objectName];
        var spec = ObjectLoader.LoadFile(Corpus.PathOf(objectName));
        var result = ObjectVerifier.Verify(spec, spec.FindProgram(expected.Program)!, new VerifierOptions { LogLevel = 1 });
        Assert.Equal((expected.Program, false, expected.Error), (result.Program, result.Accepted, result.Error));
        // Where the kernel's log names no instruction (the combined-stack check) the index is SharpBpf's choice.
        if (expected.Instruction is { } instruction) Assert.Equal(instruction, result.InstructionIndex);

        var error = Assert.Throws<VerificationException>(() => BpfObject.Load(Corpus.PathOf(objectName)));
        Assert.Equal((expected.Program, expected.Error), (error.Program, error.Summary));
    }

    [KernelTheory]
    [MemberData(nameof(Runnable))]
    public void Each_program_runs_as_in_Linux(string objectName)
    {
        var path = Corpus.PathOf(objectName);
        using var pinned = CpuPinning.PinToCpu0();
        using var kernel = KernelObject.Open(path);
        var clock = new VirtualClock();
        using var ours = BpfObject.Load(path, new BpfObjectOptions { Clock = clock });

        // Context out is compared where a context went in: without one, Linux's packet test runs return none.
        var runs = ours.Programs.SelectMany(program => Inputs(program).Select(input => (Program: program, input.Name, input.Packet, input.Context))).ToList();
        // Linux first, all in a row: its timers run in real time, and a deadline passing between two runs would
        // change what the next run sees. The long delays (20 ms) of the packet programs outlast this loop.
        var linux = runs.Select(r => Outcome(() => kernel.Programs[r.Program.Name].Run(r.Packet, r.Context) is var k ? (k.ReturnValue, r.Context.Length > 0 ? k.ContextOut : []) : default)).ToList();
        var sharp = runs.Select(r => Outcome(() => r.Program.Run(r.Packet, r.Context) is var o ? ((uint)o.ReturnValue, r.Context.Length > 0 ? o.ContextOut : []) : default)).ToList();
        Assert.NotEmpty(runs);
        Assert.All(Enumerable.Range(0, runs.Count), i =>
            Assert.True(linux[i] == sharp[i], $"{runs[i].Program.Name} on {runs[i].Name}: kernel {linux[i]}, SharpBpf {sharp[i]}"));

        // No comparison before the timers fire: Linux's sub-millisecond timers may already have run by now.
        kernel.WaitRealTime(TimeSpan.FromMilliseconds(50));
        clock.Advance(TimeSpan.FromMilliseconds(50));
        var expected = MapContents.Of(kernel.Maps);
        var actual = MapContents.Of(ours.Maps);
        var differing = expected.Keys.Union(actual.Keys).Where(k => expected.GetValueOrDefault(k) != actual.GetValueOrDefault(k)).ToList();
        Assert.True(differing.Count == 0, string.Join("\n", differing.Select(k => $"{k}: kernel {expected.GetValueOrDefault(k) ?? "absent"}, SharpBpf {actual.GetValueOrDefault(k) ?? "absent"}")));
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

    /// <summary>bad_memcpy_timer_v4.o → bad_memcpy_timer.</summary>
    private static string Source(string objectName) => Path.GetFileNameWithoutExtension(objectName)[..^3];
}

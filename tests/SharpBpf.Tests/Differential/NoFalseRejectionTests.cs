using SharpBpf.Kernel;
using SharpBpf.Loader;
using SharpBpf.Runtime;
using SharpBpf.Tests.Kernel;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// Every committed object that Linux accepts (the examples and the test data) is accepted by SharpBpf's verifier:
/// a verifier that rejects what the kernel runs is worse than none. The objects Linux refuses are listed with the
/// reason they exist, and the kernel tests below keep both lists honest.
/// </summary>
public class NoFalseRejectionTests
{
    /// <summary>Objects (paths relative to the repository) that Linux does not load, on purpose, and why.</summary>
    private static readonly Dictionary<string, string> RefusedByLinux = new(StringComparer.Ordinal)
    {
        ["tests/SharpBpf.Tests/Data/kernel/verifier_reject.o"] = "the kernel engine's rejection test: a packet read without a bounds check",
        ["tests/SharpBpf.Tests/Data/timers/timer_not_gpl.o"] = "spec R9: timer helpers under a non-GPL licence",
        ["tests/SharpBpf.Tests/Data/timers/timer_in_kprobe.o"] = "spec R46: a kprobe referencing a timer map",
        ["tests/SharpBpf.Tests/Data/btf/types.o"] = "BTF parser test: its packed value misaligns the timer, so the kernel finds no valid bpf_timer (R5)",
        ["tests/SharpBpf.Tests/Data/asm/alu.o"] = "disassembly golden: reads a u64 array through the context pointer, which only SharpBpf's test runs provide",
        ["tests/SharpBpf.Tests/Data/asm/control.o"] = "disassembly golden: uses callx (opcode 0x8d), which the kernel does not know",
        ["tests/SharpBpf.Tests/Data/asm/memory.o"] = "disassembly golden: reads a u64 array through the context pointer",
        ["tests/SharpBpf.Tests/Data/elf/multi.o"] = "ELF reader test with a legacy 'maps' section, which libbpf 1.x refuses to open",
        ["tests/SharpBpf.Tests/Data/elf/subprograms_v4_nodebug.o"] = "ELF reader test without BTF, which libbpf 1.x refuses to open",
        ["tests/SharpBpf.Tests/Data/loader/legacy/legacy_maps.o"] = "loader test of legacy map definitions, which libbpf 1.x refuses to open",
        ["tests/SharpBpf.Tests/Data/loader/legacy/legacy_timer.o"] = "loader test of legacy map definitions, which libbpf 1.x refuses to open",
        ["tests/SharpBpf.Tests/Data/realworld/kfunc_unknown.o"] = "a kfunc no kernel has: libbpf's refusal (KfuncDifferentialTests)",
        ["tests/SharpBpf.Tests/Data/realworld/kfunc_mismatch.o"] = "a kfunc declared with a wrong prototype: libbpf's refusal",
        ["tests/SharpBpf.Tests/Data/realworld/ksym_strong.o"] = "a strong typeless __ksym kallsyms does not show on this machine: libbpf's refusal",
        ["tests/SharpBpf.Tests/Data/verifier/ref_cast_skc_to_hole.o"] = "a read in struct tcp_sock's padding: Linux's BTF walk refuses it, SharpBpf has no kernel BTF (SocketCastGapTests)",
        ["tests/SharpBpf.Tests/Data/realworld/ksym_strong_typed.o"] = "a strong typed per-CPU __ksym whose address the kernel does not find",
    };

    /// <summary>
    /// Objects Linux loads that SharpBpf's loader refuses on purpose, for a feature it lacks (documented, and checked
    /// against Linux by their own tests).
    /// </summary>
    private static readonly Dictionary<string, string> NotYetLoadedBySharpBpf = new(StringComparer.Ordinal)
    {
        ["tests/SharpBpf.Tests/Data/realworld/kfunc_wq.o"] = "struct bpf_wq (a kernel workqueue running a sleepable callback later), which SharpBpf does not implement (KfuncDifferentialTests)",
    };

    /// <summary>Every committed object Linux loads: examples/*.o and tests/SharpBpf.Tests/Data/**/*.o, less the refused ones.</summary>
    public static TheoryData<string> AcceptedByLinux =>
        [.. CommittedObjects().Where(o => !RefusedByLinux.ContainsKey(o) && !NotYetLoadedBySharpBpf.ContainsKey(o) && !KernelVerdicts.IsRejectedOnPurpose(o))];

    public static TheoryData<string> Refused => [.. RefusedByLinux.Keys.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(AcceptedByLinux))]
    public void SharpBpf_verifier_accepts_every_program_Linux_accepts(string relativePath)
    {
        var spec = ObjectLoader.LoadFile(Full(relativePath));
        Assert.All(JudgedByLinux(spec), program =>
        {
            var result = ObjectVerifier.Verify(spec, program);
            Assert.True(result.Accepted, $"{program.Name}: insn {result.InstructionIndex}: {result.Error}\n{result.Log}");
        });
    }

    [KernelTheory]
    [MemberData(nameof(AcceptedByLinux))]
    public void Linux_does_accept_them(string relativePath)
    {
        using var kernel = KernelBuildDifferences.OpenOrSkip(Full(relativePath));
        // Both must be judging the same programs, or acceptance here would say nothing about SharpBpf's verdicts.
        Assert.Equal(JudgedByLinux(ObjectLoader.LoadFile(Full(relativePath))).Select(p => p.Name), kernel.Programs.Select(p => p.Name));
    }

    [KernelTheory]
    [MemberData(nameof(Refused))]
    public void Linux_does_refuse_the_listed_ones(string relativePath)
    {
        Assert.True(File.Exists(Full(relativePath)), $"{relativePath} is listed as refused but does not exist");
        Assert.Throws<KernelLoadException>(() => KernelObject.Open(Full(relativePath)));
    }

    /// <summary>libbpf does not load optional programs (<c>SEC("?...")</c>), so Linux has no verdict on them.</summary>
    private static IEnumerable<ProgramSpec> JudgedByLinux(CollectionSpec spec) => spec.Programs.Where(p => !p.IsOptional);

    /// <summary>Data/generated is left out: its programs are accepted and rejected alike, and GeneratedCorpusTests
    /// compares each with its recorded verdict in both directions.</summary>
    private static IEnumerable<string> CommittedObjects() =>
        Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "examples"), "*.o")
            .Concat(Directory.EnumerateFiles(TestPaths.TestData, "*.o", SearchOption.AllDirectories))
            .Select(p => Path.GetRelativePath(TestPaths.RepoRoot, p).Replace('\\', '/'))
            .Where(p => !p.StartsWith("tests/SharpBpf.Tests/Data/generated/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static string Full(string relativePath) => Path.Combine(TestPaths.RepoRoot, relativePath);
}

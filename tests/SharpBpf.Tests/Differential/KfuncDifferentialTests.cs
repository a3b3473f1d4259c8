using SharpBpf.Kernel;
using SharpBpf.Loader;
using SharpBpf.Runtime;
using SharpBpf.Tests.Kernel;
using SharpBpf.Tests.Support;
using static SharpBpf.Tests.Differential.RealWorldPackets;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// Kfuncs and <c>__ksym</c> externs (Data/realworld: kfunc_loops, kfunc_probe, ksym_probe, and the refused ones):
/// what SharpBpf implements runs as in Linux 6.18 (return value, data_out and every map, both engines); what it
/// cannot do is refused at load with libbpf's words. The verifier's kfunc rules are Data/verifier/kfunc_*.
/// </summary>
public class KfuncDifferentialTests
{
    public static TheoryData<EngineKind> Engines() => [EngineKind.Interpreter, EngineKind.Jit];

    [KernelTheory]
    [MemberData(nameof(Engines))]
    public void Open_coded_loops_and_sections_run_as_in_linux(EngineKind engine)
    {
        using var worlds = new RealWorldWorlds("kfunc_loops.o", engine);
        byte[][] packets = [Udp(10, 0, 0, 1), Udp(192, 168, 255, 255), [0xff, 0xff, 0xff], new byte[300]];
        packets[3].AsSpan().Fill(0xff);
        foreach (var packet in packets)
        {
            worlds.Run("scan_bytes", packet);
            worlds.AssertSameMaps();
            worlds.Run("histogram_under_rcu", packet);
            worlds.AssertSameMaps();
            worlds.Run("retry_and_nest", packet);
            worlds.AssertSameMaps();
        }
    }

    /// <summary>start &gt; end (-EINVAL), a range over BPF_MAX_LOOPS (-E2BIG), a negative start and an empty range.</summary>
    [KernelTheory]
    [MemberData(nameof(Engines))]
    public void Iterator_edges_answer_as_in_linux(EngineKind engine)
    {
        using var worlds = new RealWorldWorlds("kfunc_loops.o", engine);
        worlds.Run("iterator_edges", Udp(10, 0, 0, 1));
        worlds.AssertSameMaps();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Iterator_edges_give_the_kernels_values(EngineKind engine)
    {
        using var ours = BpfObject.Load(RealWorldData.PathOf("kfunc_loops.o"), new BpfObjectOptions { Engine = engine });
        ours.Programs["iterator_edges"].Run(Udp(10, 0, 0, 1));
        long[] expected = [-22, 0, -7, 0, 0, 7, 3, 0, 0];
        Assert.Equal(expected, expected.Select((_, slot) => Result(ours, slot)));
    }

    private static long Result(BpfObject obj, int slot)
    {
        var value = new byte[8];
        obj.Maps["results"].Lookup(BitConverter.GetBytes(slot), value);
        return BitConverter.ToInt64(value);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Rcu_section_runs(EngineKind engine)
    {
        using var obj = BpfObject.Load(RealWorldData.PathOf("kfunc_probe.o"), new BpfObjectOptions { Engine = engine });
        Assert.Equal(2ul, obj.Programs["rcu_section"].Run(Udp(10, 0, 0, 1)).ReturnValue);
    }

    [KernelFact]
    public void Linux_runs_the_rcu_section_too()
    {
        using var kernel = KernelObject.Open(RealWorldData.PathOf("kfunc_probe.o"));
        Assert.Equal(2u, kernel.Programs["rcu_section"].Run(Udp(10, 0, 0, 1)).ReturnValue);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Unresolved_weak_kernel_symbol_reads_zero(EngineKind engine)
    {
        using var obj = BpfObject.Load(RealWorldData.PathOf("ksym_probe.o"), new BpfObjectOptions { Engine = engine });
        Assert.Equal(2ul, obj.Programs["weak_symbol"].Run(Udp(10, 0, 0, 1)).ReturnValue);
    }

    [KernelFact]
    public void Linux_resolves_an_unknown_weak_kernel_symbol_to_zero_too()
    {
        using var kernel = KernelObject.Open(RealWorldData.PathOf("ksym_probe.o"));
        Assert.Equal(2u, kernel.Programs["weak_symbol"].Run(Udp(10, 0, 0, 1)).ReturnValue);
    }

    /// <summary>libbpf's words for each refusal, and the program and symbol it names.</summary>
    public static TheoryData<string, string, string> RefusedAtLoad => new()
    {
        { "kfunc_unknown.o", "bpf_no_such_kfunc", "extern (func ksym) 'bpf_no_such_kfunc': not found in kernel or module BTFs" },
        { "kfunc_mismatch.o", "bpf_iter_num_new", "extern (func ksym) 'bpf_iter_num_new': func_proto [8] incompatible with kernel" },
        { "kfunc_wq.o", "bpf_wq_init", "extern (func ksym) 'bpf_wq_init': not found in kernel or module BTFs (Linux offers it, SharpBpf does not implement it" },
        { "ksym_strong.o", "bpf_prog_active", "extern 'bpf_prog_active' (strong): not resolved" },
        { "ksym_strong_typed.o", "bpf_prog_active", "extern (var ksym) 'bpf_prog_active': not found in kernel BTF" },
    };

    [Theory]
    [MemberData(nameof(RefusedAtLoad))]
    public void Refused_at_load_with_libbpfs_words(string objectName, string symbol, string words)
    {
        var error = Assert.Throws<ObjectLoadException>(() => BpfObject.Load(RealWorldData.PathOf(objectName)).Dispose());
        Assert.Equal(symbol, error.SymbolName);
        Assert.StartsWith(words, error.Reason, StringComparison.Ordinal);
    }

    /// <summary>What libbpf says on this machine, for the objects Linux refuses too (the wq object it loads: a known gap).</summary>
    [KernelTheory]
    [InlineData("kfunc_unknown.o")]
    [InlineData("kfunc_mismatch.o")]
    [InlineData("ksym_strong.o")]
    [InlineData("ksym_strong_typed.o")]
    public void Linux_refuses_them_too(string objectName) =>
        Assert.ThrowsAny<KernelLoadException>(() => KernelObject.Open(RealWorldData.PathOf(objectName)).Dispose());

    [KernelFact]
    public void Linux_runs_a_bpf_wq_from_a_syscall_program_which_SharpBpf_refuses()
    {
        using var kernel = KernelObject.Open(RealWorldData.PathOf("kfunc_wq.o"));
        Assert.Equal(0u, kernel.Programs["schedule_job"].Run().ReturnValue);
    }
}

using SharpBpf.Kernel;
using SharpBpf.Loader;
using SharpBpf.Runtime;
using SharpBpf.Tests.Kernel;
using SharpBpf.Tests.Support;
using static SharpBpf.Tests.Differential.RealWorldPackets;

namespace SharpBpf.Tests.Differential;

/// <summary><c>__ksym</c> externs and kfuncs (Data/realworld/ksym_probe.c, kfunc_probe.c).</summary>
public class KernelSymbolExternTests
{
    [Theory]
    [InlineData(EngineKind.Interpreter)]
    [InlineData(EngineKind.Jit)]
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

    [Fact]
    public void Kfunc_call_is_refused_at_load_with_libbpfs_words()
    {
        var error = Assert.Throws<ObjectLoadException>(() => ObjectLoader.LoadFile(RealWorldData.PathOf("kfunc_probe.o")));
        Assert.Equal(("xdp", "bpf_rcu_read_lock"), (error.SectionName, error.SymbolName));
        Assert.Contains("extern (func ksym) 'bpf_rcu_read_lock': not found in kernel or module BTFs", error.Reason, StringComparison.Ordinal);
    }

    /// <summary>What SharpBpf does not do yet: Linux 6.18 runs the same object (XDP_PASS).</summary>
    [KernelFact]
    public void Linux_runs_the_kfunc_object()
    {
        using var kernel = KernelObject.Open(RealWorldData.PathOf("kfunc_probe.o"));
        Assert.Equal(2u, kernel.Programs["rcu_section"].Run(Udp(10, 0, 0, 1)).ReturnValue);
    }
}

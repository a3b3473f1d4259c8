using System.Buffers.Binary;
using SharpBpf.Kernel;
using SharpBpf.Loader;
using SharpBpf.Runtime;
using SharpBpf.Tests.Kernel;
using SharpBpf.Tests.Support;
using static SharpBpf.Tests.Differential.RealWorldPackets;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// <c>.kconfig</c> externs (Data/realworld/kconfig_probe.c): laid out and resolved as libbpf does. Against Linux,
/// libbpf reads this machine's Kconfig and SharpBpf is given the same file; the program's copies and the
/// <c>.kconfig</c> map itself must be identical.
/// </summary>
public class KconfigExternTests
{
    private const string Config = "CONFIG_BPF=y\nCONFIG_NET_CLS_ACT=m\nCONFIG_HZ=1000\nCONFIG_DEFAULT_HOSTNAME=\"sharpbpf-host\"\n"
        + "CONFIG_LOCALVERSION=\"\"\n# CONFIG_SHARPBPF_NOT_A_REAL_OPTION is not set\n";

    private static string PathOf => RealWorldData.PathOf("kconfig_probe.o");

    [Fact]
    public void Loader_lays_the_kconfig_map_out_as_libbpf()
    {
        var spec = ObjectLoader.LoadFile(PathOf);

        var map = Assert.Single(spec.Maps, m => m.SectionName == ".kconfig");
        Assert.Equal("kconfig.kconfig", map.Name);
        Assert.Equal(35u, map.ValueSize);
        // Alignment descending, then size, then name: what Linux's libbpf 1.1 built for this object on this machine.
        Assert.Equal(
            ["CONFIG_SHARPBPF_NO_NUMBER@0", "CONFIG_HZ@8", "CONFIG_NET_CLS_ACT@12", "LINUX_KERNEL_VERSION@16", "CONFIG_BPF@20",
             "CONFIG_SHARPBPF_NOT_A_REAL_OPTION@21", "LINUX_HAS_BPF_COOKIE@22", "CONFIG_LOCALVERSION@23", "CONFIG_DEFAULT_HOSTNAME@27"],
            spec.KconfigExterns.OrderBy(e => e.Offset).Select(e => $"{e.Name}@{e.Offset}"));
    }

    [Theory]
    [InlineData(EngineKind.Interpreter)]
    [InlineData(EngineKind.Jit)]
    public void Values_of_every_kind_reach_the_program(EngineKind engine)
    {
        using var obj = BpfObject.Load(PathOf, new BpfObjectOptions { Engine = engine, KernelConfig = Config, LinuxKernelVersion = 0x0612_2c });

        Assert.Equal(2ul, obj.Programs["read_kconfig"].Run(Udp(10, 0, 0, 1)).ReturnValue);

        Assert.Equal(0x0612_2cul, Seen(obj, 0));
        Assert.Equal(1ul, Seen(obj, 1));
        Assert.Equal(1ul, Seen(obj, 2));
        Assert.Equal(2ul, Seen(obj, 3)); // m is TRI_MODULE
        Assert.Equal(1000ul, Seen(obj, 4));
        // A string longer than its array keeps what fits and ends with NUL.
        Assert.Equal("sharpbp\0"u8.ToArray(), BitConverter.GetBytes(Seen(obj, 5)));
        Assert.Equal(0ul, Seen(obj, 6));
        Assert.Equal(0ul, Seen(obj, 7));
        Assert.Equal(0ul, Seen(obj, 8));
    }

    [Theory]
    [InlineData("", "extern 'CONFIG_HZ' (strong): not resolved")]
    [InlineData("CONFIG_BPF=m", "extern (kcfg) 'CONFIG_BPF': value 'm' implies tristate or char type")]
    [InlineData("CONFIG_BPF=2", "extern (kcfg) 'CONFIG_BPF': value '2' implies integer type")]
    [InlineData("CONFIG_BPF=y\nCONFIG_NET_CLS_ACT=y\nCONFIG_HZ=y", "extern (kcfg) 'CONFIG_HZ': value 'y' implies bool, tristate, or char type")]
    [InlineData("CONFIG_BPF=y\nCONFIG_NET_CLS_ACT=y\nCONFIG_HZ=4294967296", "extern (kcfg) 'CONFIG_HZ': value '4294967296' doesn't fit in 4 bytes")]
    [InlineData("CONFIG_BPF=y\nCONFIG_NET_CLS_ACT=y\nCONFIG_HZ=12ab", "extern (kcfg) 'CONFIG_HZ': value '12ab' isn't a valid integer")]
    [InlineData("CONFIG_BPF", "failed to parse 'CONFIG_BPF': no separator")]
    public void Bad_or_missing_values_refuse_the_object_with_libbpfs_words(string config, string error)
    {
        var thrown = Assert.Throws<ObjectLoadException>(() => BpfObject.Load(PathOf, new BpfObjectOptions { KernelConfig = config }));
        Assert.Contains(error, thrown.Message, StringComparison.Ordinal);
    }

    [KernelFact]
    public void Kconfig_values_are_the_ones_libbpf_resolves_on_this_machine()
    {
        var config = KconfigResolver.ReadRunningKernelConfig();
        Skip.If(config is null, "this machine has neither /boot/config-RELEASE nor /proc/config.gz");
        foreach (var engine in new[] { EngineKind.Interpreter, EngineKind.Jit })
        {
            using var kernel = KernelObject.Open(PathOf);
            using var ours = BpfObject.Load(PathOf, new BpfObjectOptions { Engine = engine, KernelConfig = config });
            var packet = Udp(10, 0, 0, 1);
            Assert.Equal(kernel.Programs["read_kconfig"].Run(packet).ReturnValue, (uint)ours.Programs["read_kconfig"].Run(packet).ReturnValue);
            Assert.Equal(MapContents.Of(kernel.Maps), MapContents.Of(ours.Maps));
        }
    }

    private static ulong Seen(BpfObject obj, uint slot)
    {
        var value = new byte[8];
        obj.Maps["seen"].Lookup(BitConverter.GetBytes(slot), value);
        return BinaryPrimitives.ReadUInt64LittleEndian(value);
    }
}

using SharpBpf.Loader;
using SharpBpf.Loader.Internal;

namespace SharpBpf.Tests.Loader;

/// <summary>libbpf's object and internal-map names (bpf_object__new, internal_map_name).</summary>
public sealed class NamingTests
{
    [Theory]
    [InlineData("xdp_counter.o", "xdp_counter")]
    [InlineData("/some/dir/my.prog.o", "my")]
    [InlineData("conntrack_timers.o", "conntrack_timer")]   // 15 characters kept, then cut at '.'
    [InlineData("averyveryverylongname.o", "averyveryverylo")]
    [InlineData("noextension", "noextension")]
    public void Object_name(string fileName, string expected) =>
        Assert.Equal(expected, ObjectNames.ObjectName(fileName));

    [Theory]
    [InlineData("xdp_counter", ".bss", "xdp_coun.bss")]
    [InlineData("conntrack_timer", ".rodata", "conntrac.rodata")]
    [InlineData("global_data", ".data", "global_d.data")]
    [InlineData("ab", ".data", "ab.data")]
    [InlineData("xdp_counter", ".rodata.str1.1", ".rodata.str1.1")]
    [InlineData("xdp_counter", ".rodata.cst16", ".rodata.cst16")]
    [InlineData("shapes", ".data.config", ".data.config")]
    [InlineData("shapes", ".data.a_very_long_name", ".data.a_very_lo")]
    [InlineData("shapes", ".data.x-y", ".data.x_y")]
    [InlineData("shapes", ".bss.counters", ".bss.counters")]
    public void Global_data_map_name(string objectName, string section, string expected) =>
        Assert.Equal(expected, ObjectNames.InternalMapName(objectName, section));

    [Fact]
    public void Global_data_map_names_fit_the_kernel_limit()
    {
        for (int length = 1; length < 30; length++)
            Assert.True(ObjectNames.InternalMapName(new string('o', length), ".rodata").Length <= 15);
    }
}

/// <summary>libbpf's section_defs matching: exact names, "name+" (exact or name/...), and prefixes.</summary>
public sealed class SectionConventionTests
{
    [Theory]
    [InlineData("xdp", ProgramType.Xdp, AttachType.Xdp, ProgramFlags.None)]
    [InlineData("xdp.frags", ProgramType.Xdp, AttachType.Xdp, ProgramFlags.XdpHasFrags)]
    [InlineData("xdp/devmap", ProgramType.Xdp, AttachType.XdpDevmap, ProgramFlags.None)]
    [InlineData("xdp.frags/cpumap", ProgramType.Xdp, AttachType.XdpCpumap, ProgramFlags.XdpHasFrags)]
    [InlineData("tc/ingress", ProgramType.SchedCls, AttachType.TcxIngress, ProgramFlags.None)]
    [InlineData("tcx/egress", ProgramType.SchedCls, AttachType.TcxEgress, ProgramFlags.None)]
    [InlineData("fentry/do_unlinkat", ProgramType.Tracing, AttachType.TraceFentry, ProgramFlags.None)]
    [InlineData("fexit/do_unlinkat", ProgramType.Tracing, AttachType.TraceFexit, ProgramFlags.None)]
    [InlineData("fentry.s/do_unlinkat", ProgramType.Tracing, AttachType.TraceFentry, ProgramFlags.Sleepable)]
    [InlineData("tp_btf/sched_switch", ProgramType.Tracing, AttachType.TraceRawTp, ProgramFlags.None)]
    [InlineData("lsm/file_open", ProgramType.Lsm, AttachType.LsmMac, ProgramFlags.None)]
    [InlineData("syscall", ProgramType.Syscall, null, ProgramFlags.Sleepable)]
    [InlineData("cgroup_skb/egress", ProgramType.CgroupSkb, AttachType.CgroupInetEgress, ProgramFlags.None)]
    [InlineData("sk_lookup", ProgramType.SkLookup, AttachType.SkLookup, ProgramFlags.None)]
    [InlineData("kprobe.multi/foo*", ProgramType.Kprobe, AttachType.TraceKprobeMulti, ProgramFlags.None)]
    public void Known_sections(string section, ProgramType type, AttachType? attach, ProgramFlags flags)
    {
        var convention = SectionConventions.Find(section);
        Assert.NotNull(convention);
        Assert.Equal((type, attach, flags), (convention.Type, convention.ExpectedAttachType, convention.Flags));
    }

    [Theory]
    [InlineData("tc", ProgramType.SchedCls, "sched_cls")]
    [InlineData("classifier", ProgramType.SchedCls, "sched_cls")]
    [InlineData("action", ProgramType.SchedAct, "sched_act")]
    [InlineData("socket", ProgramType.SocketFilter, "socket_filter")]
    [InlineData("kprobe/do_sys_open", ProgramType.Kprobe, "kprobe")]
    [InlineData("kretprobe/do_sys_open", ProgramType.Kprobe, "kprobe")]
    [InlineData("uprobe", ProgramType.Kprobe, "kprobe")]
    [InlineData("tracepoint/syscalls/sys_enter_write", ProgramType.Tracepoint, "tracepoint")]
    [InlineData("raw_tracepoint/sys_enter", ProgramType.RawTracepoint, "raw_tracepoint")]
    [InlineData("raw_tp.w/sys_enter", ProgramType.RawTracepointWritable, "raw_tracepoint_writable")]
    [InlineData("perf_event", ProgramType.PerfEvent, "perf_event")]
    public void Types_and_kernel_names(string section, ProgramType type, string name)
    {
        var convention = SectionConventions.Find(section)!;
        Assert.Equal(type, convention.Type);
        Assert.Equal(name, convention.Type.ToKernelName());
    }

    [Theory]
    [InlineData("xdp_prog")]        // libbpf 1.x no longer accepts "sloppy" prefixes
    [InlineData("kprobefoo")]       // "kprobe+" needs an exact name or a '/'
    [InlineData("tc/other")]
    [InlineData(".text")]
    [InlineData("prog")]
    public void Unknown_sections(string section) => Assert.Null(SectionConventions.Find(section));

    [Fact]
    public void Attach_target_is_what_follows_the_prefix()
    {
        Assert.Equal("syscalls/sys_enter_write", SectionConventions.Find("tracepoint/syscalls/sys_enter_write")!.AttachTarget);
        Assert.Null(SectionConventions.Find("kprobe")!.AttachTarget);
        Assert.Null(SectionConventions.Find("xdp")!.AttachTarget);
    }
}

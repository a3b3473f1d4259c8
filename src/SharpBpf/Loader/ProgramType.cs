namespace SharpBpf.Loader;

/// <summary>Program types with the kernel's numbering (<c>enum bpf_prog_type</c> in uapi <c>linux/bpf.h</c>).</summary>
public enum ProgramType : uint
{
    /// <summary>BPF_PROG_TYPE_UNSPEC: the section name matched no known convention (libbpf refuses to load such a program).</summary>
    Unspecified = 0,
    SocketFilter = 1,
    Kprobe = 2,
    SchedCls = 3,
    SchedAct = 4,
    Tracepoint = 5,
    Xdp = 6,
    PerfEvent = 7,
    CgroupSkb = 8,
    CgroupSock = 9,
    LwtIn = 10,
    LwtOut = 11,
    LwtXmit = 12,
    SockOps = 13,
    SkSkb = 14,
    CgroupDevice = 15,
    SkMsg = 16,
    RawTracepoint = 17,
    CgroupSockAddr = 18,
    LwtSeg6Local = 19,
    LircMode2 = 20,
    SkReuseport = 21,
    FlowDissector = 22,
    CgroupSysctl = 23,
    RawTracepointWritable = 24,
    CgroupSockopt = 25,
    Tracing = 26,
    StructOps = 27,
    Extension = 28,
    Lsm = 29,
    SkLookup = 30,
    Syscall = 31,
    Netfilter = 32,
}

/// <summary><c>prog_flags</c> of BPF_PROG_LOAD that a section name implies (uapi values).</summary>
[Flags]
public enum ProgramFlags : uint
{
    None = 0,
    /// <summary>BPF_F_SLEEPABLE (<c>fentry.s/…</c>, <c>lsm.s/…</c>, <c>syscall</c>, …).</summary>
    Sleepable = 1u << 4,
    /// <summary>BPF_F_XDP_HAS_FRAGS (<c>xdp.frags</c>).</summary>
    XdpHasFrags = 1u << 5,
}

/// <summary>Names of program types as the kernel, libbpf (<c>libbpf_bpf_prog_type_str</c>) and bpftool print them.</summary>
public static class ProgramTypeNames
{
    private static readonly string[] Names =
    [
        "unspec", "socket_filter", "kprobe", "sched_cls", "sched_act", "tracepoint", "xdp", "perf_event",
        "cgroup_skb", "cgroup_sock", "lwt_in", "lwt_out", "lwt_xmit", "sock_ops", "sk_skb", "cgroup_device",
        "sk_msg", "raw_tracepoint", "cgroup_sock_addr", "lwt_seg6local", "lirc_mode2", "sk_reuseport",
        "flow_dissector", "cgroup_sysctl", "raw_tracepoint_writable", "cgroup_sockopt", "tracing", "struct_ops",
        "ext", "lsm", "sk_lookup", "syscall", "netfilter",
    ];

    /// <summary><c>sched_cls</c> for <see cref="ProgramType.SchedCls"/>; an unknown number prints as the number.</summary>
    public static string ToKernelName(this ProgramType type) =>
        (uint)type < (uint)Names.Length ? Names[(int)type] : ((uint)type).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool TryParse(string name, out ProgramType type)
    {
        int index = Array.IndexOf(Names, name.ToLowerInvariant());
        type = (ProgramType)(uint)Math.Max(index, 0);
        return index >= 0;
    }
}

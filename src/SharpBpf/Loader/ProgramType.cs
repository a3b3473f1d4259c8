namespace SharpBpf.Loader;

/// <summary>Program types with the kernel's numbering (<c>enum bpf_prog_type</c> in uapi <c>linux/bpf.h</c>).</summary>
public enum ProgramType : uint
{
    /// <summary>BPF_PROG_TYPE_UNSPEC: the section name matched no known convention (libbpf refuses to load such a program).</summary>
    Unspecified = 0,
    /// <summary><c>BPF_PROG_TYPE_SOCKET_FILTER</c>: socket filter: sees a packet, returns how many bytes to keep.</summary>
    SocketFilter = 1,
    /// <summary><c>BPF_PROG_TYPE_KPROBE</c>: kprobe/uprobe.</summary>
    Kprobe = 2,
    /// <summary><c>BPF_PROG_TYPE_SCHED_CLS</c>: tc classifier (<c>tc</c>, <c>classifier</c>): sees an <c>__sk_buff</c>, returns a TC action.</summary>
    SchedCls = 3,
    /// <summary><c>BPF_PROG_TYPE_SCHED_ACT</c>: tc action.</summary>
    SchedAct = 4,
    /// <summary><c>BPF_PROG_TYPE_TRACEPOINT</c>: tracepoint.</summary>
    Tracepoint = 5,
    /// <summary><c>BPF_PROG_TYPE_XDP</c>: XDP: sees each received packet as an <c>xdp_md</c>, returns an XDP action.</summary>
    Xdp = 6,
    /// <summary><c>BPF_PROG_TYPE_PERF_EVENT</c>: perf event handler.</summary>
    PerfEvent = 7,
    /// <summary><c>BPF_PROG_TYPE_CGROUP_SKB</c>: cgroup ingress/egress packet filter.</summary>
    CgroupSkb = 8,
    /// <summary><c>BPF_PROG_TYPE_CGROUP_SOCK</c>: cgroup socket creation hook.</summary>
    CgroupSock = 9,
    /// <summary><c>BPF_PROG_TYPE_LWT_IN</c>.</summary>
    LwtIn = 10,
    /// <summary><c>BPF_PROG_TYPE_LWT_OUT</c>.</summary>
    LwtOut = 11,
    /// <summary><c>BPF_PROG_TYPE_LWT_XMIT</c>.</summary>
    LwtXmit = 12,
    /// <summary><c>BPF_PROG_TYPE_SOCK_OPS</c>.</summary>
    SockOps = 13,
    /// <summary><c>BPF_PROG_TYPE_SK_SKB</c>.</summary>
    SkSkb = 14,
    /// <summary><c>BPF_PROG_TYPE_CGROUP_DEVICE</c>.</summary>
    CgroupDevice = 15,
    /// <summary><c>BPF_PROG_TYPE_SK_MSG</c>.</summary>
    SkMsg = 16,
    /// <summary><c>BPF_PROG_TYPE_RAW_TRACEPOINT</c>.</summary>
    RawTracepoint = 17,
    /// <summary><c>BPF_PROG_TYPE_CGROUP_SOCK_ADDR</c>.</summary>
    CgroupSockAddr = 18,
    /// <summary><c>BPF_PROG_TYPE_LWT_SEG6LOCAL</c>.</summary>
    LwtSeg6Local = 19,
    /// <summary><c>BPF_PROG_TYPE_LIRC_MODE2</c>.</summary>
    LircMode2 = 20,
    /// <summary><c>BPF_PROG_TYPE_SK_REUSEPORT</c>.</summary>
    SkReuseport = 21,
    /// <summary><c>BPF_PROG_TYPE_FLOW_DISSECTOR</c>.</summary>
    FlowDissector = 22,
    /// <summary><c>BPF_PROG_TYPE_CGROUP_SYSCTL</c>.</summary>
    CgroupSysctl = 23,
    /// <summary><c>BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE</c>.</summary>
    RawTracepointWritable = 24,
    /// <summary><c>BPF_PROG_TYPE_CGROUP_SOCKOPT</c>.</summary>
    CgroupSockopt = 25,
    /// <summary><c>BPF_PROG_TYPE_TRACING</c>: fentry/fexit/fmod_ret/tp_btf/iter programs.</summary>
    Tracing = 26,
    /// <summary><c>BPF_PROG_TYPE_STRUCT_OPS</c>.</summary>
    StructOps = 27,
    /// <summary><c>BPF_PROG_TYPE_EXT</c>.</summary>
    Extension = 28,
    /// <summary><c>BPF_PROG_TYPE_LSM</c>.</summary>
    Lsm = 29,
    /// <summary><c>BPF_PROG_TYPE_SK_LOOKUP</c>.</summary>
    SkLookup = 30,
    /// <summary><c>BPF_PROG_TYPE_SYSCALL</c>: program run by <c>BPF_PROG_TEST_RUN</c> only (the <c>syscall</c> section).</summary>
    Syscall = 31,
    /// <summary><c>BPF_PROG_TYPE_NETFILTER</c>.</summary>
    Netfilter = 32,
}

/// <summary><c>prog_flags</c> of BPF_PROG_LOAD that a section name implies (uapi values).</summary>
[Flags]
public enum ProgramFlags : uint
{
    /// <summary>No flags.</summary>
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

    /// <summary>Parses a kernel name (<c>xdp</c>, <c>sched_cls</c>, any case) into a program type.</summary>
    public static bool TryParse(string name, out ProgramType type)
    {
        int index = Array.IndexOf(Names, name.ToLowerInvariant());
        type = (ProgramType)(uint)Math.Max(index, 0);
        return index >= 0;
    }
}

namespace SharpBpf.Loader;

/// <summary>What a program section name means: its program type, expected attach type and load flags.</summary>
/// <param name="Pattern">The table entry that matched: exact (<c>xdp</c>), prefix (<c>xdp/devmap</c>), or
/// <c>name+</c> (exactly <c>name</c> or <c>name/anything</c>).</param>
/// <param name="AttachTarget">What follows the matched prefix and its '/', e.g. <c>syscalls/sys_enter_write</c>
/// for <c>tracepoint/syscalls/sys_enter_write</c>; null when there is nothing.</param>
internal sealed record SectionConvention(string Pattern, ProgramType Type, AttachType? ExpectedAttachType,
    ProgramFlags Flags, string? AttachTarget);

/// <summary>
/// libbpf's section-name conventions (the <c>section_defs</c> table of libbpf 1.x, including the names added up to
/// libbpf 1.5 such as <c>tcx/*</c> and <c>netkit/*</c>; the kernel engine's libbpf 1.1 does not know the newest).
/// The first matching entry wins, as in libbpf. A leading <c>?</c> (not autoloaded) must be removed by the caller.
/// Deliberately does not probe the kernel: an "optional" expected attach type (libbpf's SEC_ATTACHABLE_OPT,
/// e.g. <c>xdp</c>) is always reported.
/// </summary>
internal static class SectionConventions
{
    private const ProgramFlags Sleep = ProgramFlags.Sleepable;
    private const ProgramFlags Frags = ProgramFlags.XdpHasFrags;

    private static readonly (string Pattern, ProgramType Type, AttachType? Attach, ProgramFlags Flags)[] Table =
    [
        ("socket", ProgramType.SocketFilter, null, 0),
        ("sk_reuseport/migrate", ProgramType.SkReuseport, AttachType.SkReuseportSelectOrMigrate, 0),
        ("sk_reuseport", ProgramType.SkReuseport, AttachType.SkReuseportSelect, 0),
        ("kprobe+", ProgramType.Kprobe, null, 0),
        ("uprobe+", ProgramType.Kprobe, null, 0),
        ("uprobe.s+", ProgramType.Kprobe, null, Sleep),
        ("kretprobe+", ProgramType.Kprobe, null, 0),
        ("uretprobe+", ProgramType.Kprobe, null, 0),
        ("uretprobe.s+", ProgramType.Kprobe, null, Sleep),
        ("kprobe.multi+", ProgramType.Kprobe, AttachType.TraceKprobeMulti, 0),
        ("kretprobe.multi+", ProgramType.Kprobe, AttachType.TraceKprobeMulti, 0),
        ("kprobe.session+", ProgramType.Kprobe, AttachType.TraceKprobeSession, 0),
        ("uprobe.multi+", ProgramType.Kprobe, AttachType.TraceUprobeMulti, 0),
        ("uretprobe.multi+", ProgramType.Kprobe, AttachType.TraceUprobeMulti, 0),
        ("uprobe.session+", ProgramType.Kprobe, AttachType.TraceUprobeSession, 0),
        ("uprobe.multi.s+", ProgramType.Kprobe, AttachType.TraceUprobeMulti, Sleep),
        ("uretprobe.multi.s+", ProgramType.Kprobe, AttachType.TraceUprobeMulti, Sleep),
        ("ksyscall+", ProgramType.Kprobe, null, 0),
        ("kretsyscall+", ProgramType.Kprobe, null, 0),
        ("usdt+", ProgramType.Kprobe, null, 0),
        ("usdt.s+", ProgramType.Kprobe, null, Sleep),
        ("tc/ingress", ProgramType.SchedCls, AttachType.TcxIngress, 0),
        ("tc/egress", ProgramType.SchedCls, AttachType.TcxEgress, 0),
        ("tcx/ingress", ProgramType.SchedCls, AttachType.TcxIngress, 0),
        ("tcx/egress", ProgramType.SchedCls, AttachType.TcxEgress, 0),
        ("netkit/primary", ProgramType.SchedCls, AttachType.NetkitPrimary, 0),
        ("netkit/peer", ProgramType.SchedCls, AttachType.NetkitPeer, 0),
        ("tc", ProgramType.SchedCls, null, 0),
        ("classifier", ProgramType.SchedCls, null, 0),
        ("action", ProgramType.SchedAct, null, 0),
        ("tracepoint+", ProgramType.Tracepoint, null, 0),
        ("tp+", ProgramType.Tracepoint, null, 0),
        ("raw_tracepoint+", ProgramType.RawTracepoint, null, 0),
        ("raw_tp+", ProgramType.RawTracepoint, null, 0),
        ("raw_tracepoint.w+", ProgramType.RawTracepointWritable, null, 0),
        ("raw_tp.w+", ProgramType.RawTracepointWritable, null, 0),
        ("tp_btf+", ProgramType.Tracing, AttachType.TraceRawTp, 0),
        ("fentry+", ProgramType.Tracing, AttachType.TraceFentry, 0),
        ("fmod_ret+", ProgramType.Tracing, AttachType.ModifyReturn, 0),
        ("fexit+", ProgramType.Tracing, AttachType.TraceFexit, 0),
        ("fentry.s+", ProgramType.Tracing, AttachType.TraceFentry, Sleep),
        ("fmod_ret.s+", ProgramType.Tracing, AttachType.ModifyReturn, Sleep),
        ("fexit.s+", ProgramType.Tracing, AttachType.TraceFexit, Sleep),
        ("freplace+", ProgramType.Extension, null, 0),
        ("lsm+", ProgramType.Lsm, AttachType.LsmMac, 0),
        ("lsm.s+", ProgramType.Lsm, AttachType.LsmMac, Sleep),
        ("lsm_cgroup+", ProgramType.Lsm, AttachType.LsmCgroup, 0),
        ("iter+", ProgramType.Tracing, AttachType.TraceIter, 0),
        ("iter.s+", ProgramType.Tracing, AttachType.TraceIter, Sleep),
        ("syscall", ProgramType.Syscall, null, Sleep),
        ("xdp.frags/devmap", ProgramType.Xdp, AttachType.XdpDevmap, Frags),
        ("xdp/devmap", ProgramType.Xdp, AttachType.XdpDevmap, 0),
        ("xdp.frags/cpumap", ProgramType.Xdp, AttachType.XdpCpumap, Frags),
        ("xdp/cpumap", ProgramType.Xdp, AttachType.XdpCpumap, 0),
        ("xdp.frags", ProgramType.Xdp, AttachType.Xdp, Frags),
        ("xdp", ProgramType.Xdp, AttachType.Xdp, 0),
        ("perf_event", ProgramType.PerfEvent, null, 0),
        ("lwt_in", ProgramType.LwtIn, null, 0),
        ("lwt_out", ProgramType.LwtOut, null, 0),
        ("lwt_xmit", ProgramType.LwtXmit, null, 0),
        ("lwt_seg6local", ProgramType.LwtSeg6Local, null, 0),
        ("sockops", ProgramType.SockOps, AttachType.CgroupSockOps, 0),
        ("sk_skb/stream_parser", ProgramType.SkSkb, AttachType.SkSkbStreamParser, 0),
        ("sk_skb/stream_verdict", ProgramType.SkSkb, AttachType.SkSkbStreamVerdict, 0),
        ("sk_skb/verdict", ProgramType.SkSkb, AttachType.SkSkbVerdict, 0),
        ("sk_skb", ProgramType.SkSkb, null, 0),
        ("sk_msg", ProgramType.SkMsg, AttachType.SkMsgVerdict, 0),
        ("lirc_mode2", ProgramType.LircMode2, AttachType.LircMode2, 0),
        ("flow_dissector", ProgramType.FlowDissector, AttachType.FlowDissector, 0),
        ("cgroup_skb/ingress", ProgramType.CgroupSkb, AttachType.CgroupInetIngress, 0),
        ("cgroup_skb/egress", ProgramType.CgroupSkb, AttachType.CgroupInetEgress, 0),
        ("cgroup/skb", ProgramType.CgroupSkb, null, 0),
        ("cgroup/sock_create", ProgramType.CgroupSock, AttachType.CgroupInetSockCreate, 0),
        ("cgroup/sock_release", ProgramType.CgroupSock, AttachType.CgroupInetSockRelease, 0),
        ("cgroup/sock", ProgramType.CgroupSock, AttachType.CgroupInetSockCreate, 0),
        ("cgroup/post_bind4", ProgramType.CgroupSock, AttachType.CgroupInet4PostBind, 0),
        ("cgroup/post_bind6", ProgramType.CgroupSock, AttachType.CgroupInet6PostBind, 0),
        ("cgroup/bind4", ProgramType.CgroupSockAddr, AttachType.CgroupInet4Bind, 0),
        ("cgroup/bind6", ProgramType.CgroupSockAddr, AttachType.CgroupInet6Bind, 0),
        ("cgroup/connect4", ProgramType.CgroupSockAddr, AttachType.CgroupInet4Connect, 0),
        ("cgroup/connect6", ProgramType.CgroupSockAddr, AttachType.CgroupInet6Connect, 0),
        ("cgroup/connect_unix", ProgramType.CgroupSockAddr, AttachType.CgroupUnixConnect, 0),
        ("cgroup/sendmsg4", ProgramType.CgroupSockAddr, AttachType.CgroupUdp4Sendmsg, 0),
        ("cgroup/sendmsg6", ProgramType.CgroupSockAddr, AttachType.CgroupUdp6Sendmsg, 0),
        ("cgroup/sendmsg_unix", ProgramType.CgroupSockAddr, AttachType.CgroupUnixSendmsg, 0),
        ("cgroup/recvmsg4", ProgramType.CgroupSockAddr, AttachType.CgroupUdp4Recvmsg, 0),
        ("cgroup/recvmsg6", ProgramType.CgroupSockAddr, AttachType.CgroupUdp6Recvmsg, 0),
        ("cgroup/recvmsg_unix", ProgramType.CgroupSockAddr, AttachType.CgroupUnixRecvmsg, 0),
        ("cgroup/getpeername4", ProgramType.CgroupSockAddr, AttachType.CgroupInet4Getpeername, 0),
        ("cgroup/getpeername6", ProgramType.CgroupSockAddr, AttachType.CgroupInet6Getpeername, 0),
        ("cgroup/getpeername_unix", ProgramType.CgroupSockAddr, AttachType.CgroupUnixGetpeername, 0),
        ("cgroup/getsockname4", ProgramType.CgroupSockAddr, AttachType.CgroupInet4Getsockname, 0),
        ("cgroup/getsockname6", ProgramType.CgroupSockAddr, AttachType.CgroupInet6Getsockname, 0),
        ("cgroup/getsockname_unix", ProgramType.CgroupSockAddr, AttachType.CgroupUnixGetsockname, 0),
        ("cgroup/sysctl", ProgramType.CgroupSysctl, AttachType.CgroupSysctl, 0),
        ("cgroup/getsockopt", ProgramType.CgroupSockopt, AttachType.CgroupGetsockopt, 0),
        ("cgroup/setsockopt", ProgramType.CgroupSockopt, AttachType.CgroupSetsockopt, 0),
        ("cgroup/dev", ProgramType.CgroupDevice, AttachType.CgroupDevice, 0),
        ("struct_ops+", ProgramType.StructOps, null, 0),
        ("struct_ops.s+", ProgramType.StructOps, null, Sleep),
        ("sk_lookup", ProgramType.SkLookup, AttachType.SkLookup, 0),
        ("netfilter", ProgramType.Netfilter, AttachType.Netfilter, 0),
    ];

    /// <summary>The convention for a section name (without a leading '?'), or null when none matches (libbpf then leaves the type unspecified).</summary>
    public static SectionConvention? Find(string sectionName)
    {
        ArgumentNullException.ThrowIfNull(sectionName);
        foreach (var (pattern, type, attach, flags) in Table)
        {
            if (Matches(pattern, sectionName, out var target))
                return new SectionConvention(pattern, type, attach, flags, target);
        }
        return null;
    }

    private static bool Matches(string pattern, string name, out string? target)
    {
        target = null;
        if (pattern.EndsWith('+'))
        {
            var stem = pattern.AsSpan(0, pattern.Length - 1);
            if (!name.AsSpan().StartsWith(stem, StringComparison.Ordinal))
                return false;
            if (name.Length == stem.Length)
                return true;
            if (name[stem.Length] != '/')
                return false;
            target = name.Length > stem.Length + 1 ? name[(stem.Length + 1)..] : null;
            return true;
        }
        if (pattern.EndsWith('/'))
        {
            if (!name.StartsWith(pattern, StringComparison.Ordinal))
                return false;
            target = name.Length > pattern.Length ? name[pattern.Length..] : null;
            return true;
        }
        return string.Equals(pattern, name, StringComparison.Ordinal);
    }
}

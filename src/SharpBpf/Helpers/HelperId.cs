namespace SharpBpf.Helpers;

/// <summary>
/// Helper function ids with the kernel's numbering (uapi <c>include/uapi/linux/bpf.h</c>, <c>__BPF_FUNC_MAPPER</c>,
/// as of Linux 6.18: ids 0–211). The enum names every kernel helper; only some have built-in implementations
/// (<see cref="BuiltIn.BuiltInHelpers"/>). Hosts may register ids outside this list.
/// </summary>
internal enum HelperId
{
    Unspec = 0,
    /// <summary><c>bpf_map_lookup_elem</c></summary>
    MapLookupElem = 1,
    /// <summary><c>bpf_map_update_elem</c></summary>
    MapUpdateElem = 2,
    /// <summary><c>bpf_map_delete_elem</c></summary>
    MapDeleteElem = 3,
    /// <summary><c>bpf_probe_read</c></summary>
    ProbeRead = 4,
    /// <summary><c>bpf_ktime_get_ns</c></summary>
    KtimeGetNs = 5,
    /// <summary><c>bpf_trace_printk</c></summary>
    TracePrintk = 6,
    /// <summary><c>bpf_get_prandom_u32</c></summary>
    GetPrandomU32 = 7,
    /// <summary><c>bpf_get_smp_processor_id</c></summary>
    GetSmpProcessorId = 8,
    /// <summary><c>bpf_skb_store_bytes</c></summary>
    SkbStoreBytes = 9,
    /// <summary><c>bpf_l3_csum_replace</c></summary>
    L3CsumReplace = 10,
    /// <summary><c>bpf_l4_csum_replace</c></summary>
    L4CsumReplace = 11,
    /// <summary><c>bpf_tail_call</c></summary>
    TailCall = 12,
    /// <summary><c>bpf_clone_redirect</c></summary>
    CloneRedirect = 13,
    /// <summary><c>bpf_get_current_pid_tgid</c></summary>
    GetCurrentPidTgid = 14,
    /// <summary><c>bpf_get_current_uid_gid</c></summary>
    GetCurrentUidGid = 15,
    /// <summary><c>bpf_get_current_comm</c></summary>
    GetCurrentComm = 16,
    /// <summary><c>bpf_get_cgroup_classid</c></summary>
    GetCgroupClassid = 17,
    /// <summary><c>bpf_skb_vlan_push</c></summary>
    SkbVlanPush = 18,
    /// <summary><c>bpf_skb_vlan_pop</c></summary>
    SkbVlanPop = 19,
    /// <summary><c>bpf_skb_get_tunnel_key</c></summary>
    SkbGetTunnelKey = 20,
    /// <summary><c>bpf_skb_set_tunnel_key</c></summary>
    SkbSetTunnelKey = 21,
    /// <summary><c>bpf_perf_event_read</c></summary>
    PerfEventRead = 22,
    /// <summary><c>bpf_redirect</c></summary>
    Redirect = 23,
    /// <summary><c>bpf_get_route_realm</c></summary>
    GetRouteRealm = 24,
    /// <summary><c>bpf_perf_event_output</c></summary>
    PerfEventOutput = 25,
    /// <summary><c>bpf_skb_load_bytes</c></summary>
    SkbLoadBytes = 26,
    /// <summary><c>bpf_get_stackid</c></summary>
    GetStackid = 27,
    /// <summary><c>bpf_csum_diff</c></summary>
    CsumDiff = 28,
    /// <summary><c>bpf_skb_get_tunnel_opt</c></summary>
    SkbGetTunnelOpt = 29,
    /// <summary><c>bpf_skb_set_tunnel_opt</c></summary>
    SkbSetTunnelOpt = 30,
    /// <summary><c>bpf_skb_change_proto</c></summary>
    SkbChangeProto = 31,
    /// <summary><c>bpf_skb_change_type</c></summary>
    SkbChangeType = 32,
    /// <summary><c>bpf_skb_under_cgroup</c></summary>
    SkbUnderCgroup = 33,
    /// <summary><c>bpf_get_hash_recalc</c></summary>
    GetHashRecalc = 34,
    /// <summary><c>bpf_get_current_task</c></summary>
    GetCurrentTask = 35,
    /// <summary><c>bpf_probe_write_user</c></summary>
    ProbeWriteUser = 36,
    /// <summary><c>bpf_current_task_under_cgroup</c></summary>
    CurrentTaskUnderCgroup = 37,
    /// <summary><c>bpf_skb_change_tail</c></summary>
    SkbChangeTail = 38,
    /// <summary><c>bpf_skb_pull_data</c></summary>
    SkbPullData = 39,
    /// <summary><c>bpf_csum_update</c></summary>
    CsumUpdate = 40,
    /// <summary><c>bpf_set_hash_invalid</c></summary>
    SetHashInvalid = 41,
    /// <summary><c>bpf_get_numa_node_id</c></summary>
    GetNumaNodeId = 42,
    /// <summary><c>bpf_skb_change_head</c></summary>
    SkbChangeHead = 43,
    /// <summary><c>bpf_xdp_adjust_head</c></summary>
    XdpAdjustHead = 44,
    /// <summary><c>bpf_probe_read_str</c></summary>
    ProbeReadStr = 45,
    /// <summary><c>bpf_get_socket_cookie</c></summary>
    GetSocketCookie = 46,
    /// <summary><c>bpf_get_socket_uid</c></summary>
    GetSocketUid = 47,
    /// <summary><c>bpf_set_hash</c></summary>
    SetHash = 48,
    /// <summary><c>bpf_setsockopt</c></summary>
    Setsockopt = 49,
    /// <summary><c>bpf_skb_adjust_room</c></summary>
    SkbAdjustRoom = 50,
    /// <summary><c>bpf_redirect_map</c></summary>
    RedirectMap = 51,
    /// <summary><c>bpf_sk_redirect_map</c></summary>
    SkRedirectMap = 52,
    /// <summary><c>bpf_sock_map_update</c></summary>
    SockMapUpdate = 53,
    /// <summary><c>bpf_xdp_adjust_meta</c></summary>
    XdpAdjustMeta = 54,
    /// <summary><c>bpf_perf_event_read_value</c></summary>
    PerfEventReadValue = 55,
    /// <summary><c>bpf_perf_prog_read_value</c></summary>
    PerfProgReadValue = 56,
    /// <summary><c>bpf_getsockopt</c></summary>
    Getsockopt = 57,
    /// <summary><c>bpf_override_return</c></summary>
    OverrideReturn = 58,
    /// <summary><c>bpf_sock_ops_cb_flags_set</c></summary>
    SockOpsCbFlagsSet = 59,
    /// <summary><c>bpf_msg_redirect_map</c></summary>
    MsgRedirectMap = 60,
    /// <summary><c>bpf_msg_apply_bytes</c></summary>
    MsgApplyBytes = 61,
    /// <summary><c>bpf_msg_cork_bytes</c></summary>
    MsgCorkBytes = 62,
    /// <summary><c>bpf_msg_pull_data</c></summary>
    MsgPullData = 63,
    /// <summary><c>bpf_bind</c></summary>
    Bind = 64,
    /// <summary><c>bpf_xdp_adjust_tail</c></summary>
    XdpAdjustTail = 65,
    /// <summary><c>bpf_skb_get_xfrm_state</c></summary>
    SkbGetXfrmState = 66,
    /// <summary><c>bpf_get_stack</c></summary>
    GetStack = 67,
    /// <summary><c>bpf_skb_load_bytes_relative</c></summary>
    SkbLoadBytesRelative = 68,
    /// <summary><c>bpf_fib_lookup</c></summary>
    FibLookup = 69,
    /// <summary><c>bpf_sock_hash_update</c></summary>
    SockHashUpdate = 70,
    /// <summary><c>bpf_msg_redirect_hash</c></summary>
    MsgRedirectHash = 71,
    /// <summary><c>bpf_sk_redirect_hash</c></summary>
    SkRedirectHash = 72,
    /// <summary><c>bpf_lwt_push_encap</c></summary>
    LwtPushEncap = 73,
    /// <summary><c>bpf_lwt_seg6_store_bytes</c></summary>
    LwtSeg6StoreBytes = 74,
    /// <summary><c>bpf_lwt_seg6_adjust_srh</c></summary>
    LwtSeg6AdjustSrh = 75,
    /// <summary><c>bpf_lwt_seg6_action</c></summary>
    LwtSeg6Action = 76,
    /// <summary><c>bpf_rc_repeat</c></summary>
    RcRepeat = 77,
    /// <summary><c>bpf_rc_keydown</c></summary>
    RcKeydown = 78,
    /// <summary><c>bpf_skb_cgroup_id</c></summary>
    SkbCgroupId = 79,
    /// <summary><c>bpf_get_current_cgroup_id</c></summary>
    GetCurrentCgroupId = 80,
    /// <summary><c>bpf_get_local_storage</c></summary>
    GetLocalStorage = 81,
    /// <summary><c>bpf_sk_select_reuseport</c></summary>
    SkSelectReuseport = 82,
    /// <summary><c>bpf_skb_ancestor_cgroup_id</c></summary>
    SkbAncestorCgroupId = 83,
    /// <summary><c>bpf_sk_lookup_tcp</c></summary>
    SkLookupTcp = 84,
    /// <summary><c>bpf_sk_lookup_udp</c></summary>
    SkLookupUdp = 85,
    /// <summary><c>bpf_sk_release</c></summary>
    SkRelease = 86,
    /// <summary><c>bpf_map_push_elem</c></summary>
    MapPushElem = 87,
    /// <summary><c>bpf_map_pop_elem</c></summary>
    MapPopElem = 88,
    /// <summary><c>bpf_map_peek_elem</c></summary>
    MapPeekElem = 89,
    /// <summary><c>bpf_msg_push_data</c></summary>
    MsgPushData = 90,
    /// <summary><c>bpf_msg_pop_data</c></summary>
    MsgPopData = 91,
    /// <summary><c>bpf_rc_pointer_rel</c></summary>
    RcPointerRel = 92,
    /// <summary><c>bpf_spin_lock</c></summary>
    SpinLock = 93,
    /// <summary><c>bpf_spin_unlock</c></summary>
    SpinUnlock = 94,
    /// <summary><c>bpf_sk_fullsock</c></summary>
    SkFullsock = 95,
    /// <summary><c>bpf_tcp_sock</c></summary>
    TcpSock = 96,
    /// <summary><c>bpf_skb_ecn_set_ce</c></summary>
    SkbEcnSetCe = 97,
    /// <summary><c>bpf_get_listener_sock</c></summary>
    GetListenerSock = 98,
    /// <summary><c>bpf_skc_lookup_tcp</c></summary>
    SkcLookupTcp = 99,
    /// <summary><c>bpf_tcp_check_syncookie</c></summary>
    TcpCheckSyncookie = 100,
    /// <summary><c>bpf_sysctl_get_name</c></summary>
    SysctlGetName = 101,
    /// <summary><c>bpf_sysctl_get_current_value</c></summary>
    SysctlGetCurrentValue = 102,
    /// <summary><c>bpf_sysctl_get_new_value</c></summary>
    SysctlGetNewValue = 103,
    /// <summary><c>bpf_sysctl_set_new_value</c></summary>
    SysctlSetNewValue = 104,
    /// <summary><c>bpf_strtol</c></summary>
    Strtol = 105,
    /// <summary><c>bpf_strtoul</c></summary>
    Strtoul = 106,
    /// <summary><c>bpf_sk_storage_get</c></summary>
    SkStorageGet = 107,
    /// <summary><c>bpf_sk_storage_delete</c></summary>
    SkStorageDelete = 108,
    /// <summary><c>bpf_send_signal</c></summary>
    SendSignal = 109,
    /// <summary><c>bpf_tcp_gen_syncookie</c></summary>
    TcpGenSyncookie = 110,
    /// <summary><c>bpf_skb_output</c></summary>
    SkbOutput = 111,
    /// <summary><c>bpf_probe_read_user</c></summary>
    ProbeReadUser = 112,
    /// <summary><c>bpf_probe_read_kernel</c></summary>
    ProbeReadKernel = 113,
    /// <summary><c>bpf_probe_read_user_str</c></summary>
    ProbeReadUserStr = 114,
    /// <summary><c>bpf_probe_read_kernel_str</c></summary>
    ProbeReadKernelStr = 115,
    /// <summary><c>bpf_tcp_send_ack</c></summary>
    TcpSendAck = 116,
    /// <summary><c>bpf_send_signal_thread</c></summary>
    SendSignalThread = 117,
    /// <summary><c>bpf_jiffies64</c></summary>
    Jiffies64 = 118,
    /// <summary><c>bpf_read_branch_records</c></summary>
    ReadBranchRecords = 119,
    /// <summary><c>bpf_get_ns_current_pid_tgid</c></summary>
    GetNsCurrentPidTgid = 120,
    /// <summary><c>bpf_xdp_output</c></summary>
    XdpOutput = 121,
    /// <summary><c>bpf_get_netns_cookie</c></summary>
    GetNetnsCookie = 122,
    /// <summary><c>bpf_get_current_ancestor_cgroup_id</c></summary>
    GetCurrentAncestorCgroupId = 123,
    /// <summary><c>bpf_sk_assign</c></summary>
    SkAssign = 124,
    /// <summary><c>bpf_ktime_get_boot_ns</c></summary>
    KtimeGetBootNs = 125,
    /// <summary><c>bpf_seq_printf</c></summary>
    SeqPrintf = 126,
    /// <summary><c>bpf_seq_write</c></summary>
    SeqWrite = 127,
    /// <summary><c>bpf_sk_cgroup_id</c></summary>
    SkCgroupId = 128,
    /// <summary><c>bpf_sk_ancestor_cgroup_id</c></summary>
    SkAncestorCgroupId = 129,
    /// <summary><c>bpf_ringbuf_output</c></summary>
    RingbufOutput = 130,
    /// <summary><c>bpf_ringbuf_reserve</c></summary>
    RingbufReserve = 131,
    /// <summary><c>bpf_ringbuf_submit</c></summary>
    RingbufSubmit = 132,
    /// <summary><c>bpf_ringbuf_discard</c></summary>
    RingbufDiscard = 133,
    /// <summary><c>bpf_ringbuf_query</c></summary>
    RingbufQuery = 134,
    /// <summary><c>bpf_csum_level</c></summary>
    CsumLevel = 135,
    /// <summary><c>bpf_skc_to_tcp6_sock</c></summary>
    SkcToTcp6Sock = 136,
    /// <summary><c>bpf_skc_to_tcp_sock</c></summary>
    SkcToTcpSock = 137,
    /// <summary><c>bpf_skc_to_tcp_timewait_sock</c></summary>
    SkcToTcpTimewaitSock = 138,
    /// <summary><c>bpf_skc_to_tcp_request_sock</c></summary>
    SkcToTcpRequestSock = 139,
    /// <summary><c>bpf_skc_to_udp6_sock</c></summary>
    SkcToUdp6Sock = 140,
    /// <summary><c>bpf_get_task_stack</c></summary>
    GetTaskStack = 141,
    /// <summary><c>bpf_load_hdr_opt</c></summary>
    LoadHdrOpt = 142,
    /// <summary><c>bpf_store_hdr_opt</c></summary>
    StoreHdrOpt = 143,
    /// <summary><c>bpf_reserve_hdr_opt</c></summary>
    ReserveHdrOpt = 144,
    /// <summary><c>bpf_inode_storage_get</c></summary>
    InodeStorageGet = 145,
    /// <summary><c>bpf_inode_storage_delete</c></summary>
    InodeStorageDelete = 146,
    /// <summary><c>bpf_d_path</c></summary>
    DPath = 147,
    /// <summary><c>bpf_copy_from_user</c></summary>
    CopyFromUser = 148,
    /// <summary><c>bpf_snprintf_btf</c></summary>
    SnprintfBtf = 149,
    /// <summary><c>bpf_seq_printf_btf</c></summary>
    SeqPrintfBtf = 150,
    /// <summary><c>bpf_skb_cgroup_classid</c></summary>
    SkbCgroupClassid = 151,
    /// <summary><c>bpf_redirect_neigh</c></summary>
    RedirectNeigh = 152,
    /// <summary><c>bpf_per_cpu_ptr</c></summary>
    PerCpuPtr = 153,
    /// <summary><c>bpf_this_cpu_ptr</c></summary>
    ThisCpuPtr = 154,
    /// <summary><c>bpf_redirect_peer</c></summary>
    RedirectPeer = 155,
    /// <summary><c>bpf_task_storage_get</c></summary>
    TaskStorageGet = 156,
    /// <summary><c>bpf_task_storage_delete</c></summary>
    TaskStorageDelete = 157,
    /// <summary><c>bpf_get_current_task_btf</c></summary>
    GetCurrentTaskBtf = 158,
    /// <summary><c>bpf_bprm_opts_set</c></summary>
    BprmOptsSet = 159,
    /// <summary><c>bpf_ktime_get_coarse_ns</c></summary>
    KtimeGetCoarseNs = 160,
    /// <summary><c>bpf_ima_inode_hash</c></summary>
    ImaInodeHash = 161,
    /// <summary><c>bpf_sock_from_file</c></summary>
    SockFromFile = 162,
    /// <summary><c>bpf_check_mtu</c></summary>
    CheckMtu = 163,
    /// <summary><c>bpf_for_each_map_elem</c></summary>
    ForEachMapElem = 164,
    /// <summary><c>bpf_snprintf</c></summary>
    Snprintf = 165,
    /// <summary><c>bpf_sys_bpf</c></summary>
    SysBpf = 166,
    /// <summary><c>bpf_btf_find_by_name_kind</c></summary>
    BtfFindByNameKind = 167,
    /// <summary><c>bpf_sys_close</c></summary>
    SysClose = 168,
    /// <summary><c>bpf_timer_init</c></summary>
    TimerInit = 169,
    /// <summary><c>bpf_timer_set_callback</c></summary>
    TimerSetCallback = 170,
    /// <summary><c>bpf_timer_start</c></summary>
    TimerStart = 171,
    /// <summary><c>bpf_timer_cancel</c></summary>
    TimerCancel = 172,
    /// <summary><c>bpf_get_func_ip</c></summary>
    GetFuncIp = 173,
    /// <summary><c>bpf_get_attach_cookie</c></summary>
    GetAttachCookie = 174,
    /// <summary><c>bpf_task_pt_regs</c></summary>
    TaskPtRegs = 175,
    /// <summary><c>bpf_get_branch_snapshot</c></summary>
    GetBranchSnapshot = 176,
    /// <summary><c>bpf_trace_vprintk</c></summary>
    TraceVprintk = 177,
    /// <summary><c>bpf_skc_to_unix_sock</c></summary>
    SkcToUnixSock = 178,
    /// <summary><c>bpf_kallsyms_lookup_name</c></summary>
    KallsymsLookupName = 179,
    /// <summary><c>bpf_find_vma</c></summary>
    FindVma = 180,
    /// <summary><c>bpf_loop</c></summary>
    Loop = 181,
    /// <summary><c>bpf_strncmp</c></summary>
    Strncmp = 182,
    /// <summary><c>bpf_get_func_arg</c></summary>
    GetFuncArg = 183,
    /// <summary><c>bpf_get_func_ret</c></summary>
    GetFuncRet = 184,
    /// <summary><c>bpf_get_func_arg_cnt</c></summary>
    GetFuncArgCnt = 185,
    /// <summary><c>bpf_get_retval</c></summary>
    GetRetval = 186,
    /// <summary><c>bpf_set_retval</c></summary>
    SetRetval = 187,
    /// <summary><c>bpf_xdp_get_buff_len</c></summary>
    XdpGetBuffLen = 188,
    /// <summary><c>bpf_xdp_load_bytes</c></summary>
    XdpLoadBytes = 189,
    /// <summary><c>bpf_xdp_store_bytes</c></summary>
    XdpStoreBytes = 190,
    /// <summary><c>bpf_copy_from_user_task</c></summary>
    CopyFromUserTask = 191,
    /// <summary><c>bpf_skb_set_tstamp</c></summary>
    SkbSetTstamp = 192,
    /// <summary><c>bpf_ima_file_hash</c></summary>
    ImaFileHash = 193,
    /// <summary><c>bpf_kptr_xchg</c></summary>
    KptrXchg = 194,
    /// <summary><c>bpf_map_lookup_percpu_elem</c></summary>
    MapLookupPercpuElem = 195,
    /// <summary><c>bpf_skc_to_mptcp_sock</c></summary>
    SkcToMptcpSock = 196,
    /// <summary><c>bpf_dynptr_from_mem</c></summary>
    DynptrFromMem = 197,
    /// <summary><c>bpf_ringbuf_reserve_dynptr</c></summary>
    RingbufReserveDynptr = 198,
    /// <summary><c>bpf_ringbuf_submit_dynptr</c></summary>
    RingbufSubmitDynptr = 199,
    /// <summary><c>bpf_ringbuf_discard_dynptr</c></summary>
    RingbufDiscardDynptr = 200,
    /// <summary><c>bpf_dynptr_read</c></summary>
    DynptrRead = 201,
    /// <summary><c>bpf_dynptr_write</c></summary>
    DynptrWrite = 202,
    /// <summary><c>bpf_dynptr_data</c></summary>
    DynptrData = 203,
    /// <summary><c>bpf_tcp_raw_gen_syncookie_ipv4</c></summary>
    TcpRawGenSyncookieIpv4 = 204,
    /// <summary><c>bpf_tcp_raw_gen_syncookie_ipv6</c></summary>
    TcpRawGenSyncookieIpv6 = 205,
    /// <summary><c>bpf_tcp_raw_check_syncookie_ipv4</c></summary>
    TcpRawCheckSyncookieIpv4 = 206,
    /// <summary><c>bpf_tcp_raw_check_syncookie_ipv6</c></summary>
    TcpRawCheckSyncookieIpv6 = 207,
    /// <summary><c>bpf_ktime_get_tai_ns</c></summary>
    KtimeGetTaiNs = 208,
    /// <summary><c>bpf_user_ringbuf_drain</c></summary>
    UserRingbufDrain = 209,
    /// <summary><c>bpf_cgrp_storage_get</c></summary>
    CgrpStorageGet = 210,
    /// <summary><c>bpf_cgrp_storage_delete</c></summary>
    CgrpStorageDelete = 211,
}

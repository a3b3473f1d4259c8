using System.Collections.Frozen;
using static SharpBpf.Helpers.Kfuncs.KfuncType;

namespace SharpBpf.Helpers.Kfuncs;

/// <summary>
/// Every kfunc SharpBpf implements, in one place (as <see cref="HelperTable"/> is for helpers), and the kfuncs Linux
/// 6.18 offers that SharpBpf knows and refuses, with the reason. Offered-to sets were measured on Linux 6.18.44: each of
/// these kfuncs loads in every program type that loads without attach BTF (XDP, tc, socket filter, cgroup_skb, syscall,
/// kprobe, tracepoint, lwt, sk_skb, sk_msg, sockops, cgroup sock/dev/sysctl/sockopt, sk_lookup, sk_reuseport, ...).
/// </summary>
internal static class KfuncTable
{
    /// <summary>The immediate of a call to an unresolved <c>__weak</c> kfunc (libbpf's: the call must be dead code).</summary>
    public const int Unresolved = 0;

    private static readonly ProgramTypeSet Everywhere = new(ulong.MaxValue & ~1UL);

    private static readonly KfuncType IterNumPointer = PointerTo(Struct("bpf_iter_num"));

    private static readonly KfuncInfo[] Rows =
    [
        new(1, "bpf_iter_num_new", KfuncPrototype.Of(Int, IterNumPointer, Int, Int), KfuncFlags.IteratorNew, Everywhere, IterNumKfuncs.New),
        new(2, "bpf_iter_num_next", KfuncPrototype.Of(PointerTo(Int), IterNumPointer), KfuncFlags.IteratorNext | KfuncFlags.ReturnsNull, Everywhere, IterNumKfuncs.Next),
        new(3, "bpf_iter_num_destroy", KfuncPrototype.Of(KfuncType.Void, IterNumPointer), KfuncFlags.IteratorDestroy, Everywhere, IterNumKfuncs.Destroy),
        new(4, "bpf_rcu_read_lock", KfuncPrototype.Of(KfuncType.Void), KfuncFlags.None, Everywhere, SectionKfuncs.Nothing),
        new(5, "bpf_rcu_read_unlock", KfuncPrototype.Of(KfuncType.Void), KfuncFlags.None, Everywhere, SectionKfuncs.Nothing),
        new(6, "bpf_preempt_disable", KfuncPrototype.Of(KfuncType.Void), KfuncFlags.None, Everywhere, SectionKfuncs.Nothing),
        new(7, "bpf_preempt_enable", KfuncPrototype.Of(KfuncType.Void), KfuncFlags.None, Everywhere, SectionKfuncs.Nothing),
    ];

    public const int IterNumNew = 1, IterNumNext = 2, IterNumDestroy = 3, RcuReadLock = 4, RcuReadUnlock = 5, PreemptDisable = 6, PreemptEnable = 7;

    private static readonly FrozenDictionary<string, KfuncInfo> ByName = Rows.ToFrozenDictionary(r => r.Name, StringComparer.Ordinal);

    /// <summary>Kfuncs Linux 6.18 offers XDP, tc, socket filter, cgroup_skb or syscall programs that SharpBpf refuses, and why.</summary>
    public static FrozenDictionary<string, string> NotImplemented { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["bpf_wq_init"] = WorkQueue,
        ["bpf_wq_set_callback_impl"] = WorkQueue,
        ["bpf_wq_start"] = WorkQueue,
        ["bpf_iter_bits_new"] = UncheckedMemory,
        ["bpf_iter_bits_next"] = UncheckedMemory,
        ["bpf_iter_bits_destroy"] = UncheckedMemory,
        ["bpf_strlen"] = UncheckedMemory,
        ["bpf_strcmp"] = UncheckedMemory,
        ["bpf_strchr"] = UncheckedMemory,
        ["bpf_strstr"] = UncheckedMemory,
        ["bpf_local_irq_save"] = "interrupt flags on the stack are not modelled by SharpBpf's verifier",
        ["bpf_local_irq_restore"] = "interrupt flags on the stack are not modelled by SharpBpf's verifier",
        ["bpf_res_spin_lock"] = "struct bpf_res_spin_lock map fields are not implemented",
        ["bpf_res_spin_unlock"] = "struct bpf_res_spin_lock map fields are not implemented",
        ["bpf_dynptr_from_skb"] = Dynptr,
        ["bpf_dynptr_from_xdp"] = Dynptr,
        ["bpf_dynptr_slice"] = Dynptr,
        ["bpf_dynptr_slice_rdwr"] = Dynptr,
        ["bpf_cast_to_kern_ctx"] = KernelTypes,
        ["bpf_rdonly_cast"] = KernelTypes,
        ["bpf_xdp_metadata_rx_hash"] = "a test run has no driver receive metadata (Linux answers -EOPNOTSUPP there too)",
        ["bpf_xdp_metadata_rx_timestamp"] = "a test run has no driver receive metadata (Linux answers -EOPNOTSUPP there too)",
        ["bpf_xdp_metadata_rx_vlan_tag"] = "a test run has no driver receive metadata (Linux answers -EOPNOTSUPP there too)",
        ["bpf_xdp_ct_lookup"] = Conntrack,
        ["bpf_skb_ct_lookup"] = Conntrack,
        ["bpf_throw"] = "BPF exceptions are not implemented",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private const string WorkQueue = "struct bpf_wq runs its callback later on a kernel workqueue in a sleepable context; "
        + "SharpBpf has no workqueue (Linux refuses its callback in programs that are not sleepable)";
    private const string UncheckedMemory = "it reads memory through a pointer the verifier does not check, which SharpBpf cannot do safely in user space";
    private const string Dynptr = "the skb, xdp and slice dynptr kfuncs are not implemented (the dynptr helpers are)";
    private const string KernelTypes = "it gives kernel-typed (BTF) pointers, which SharpBpf does not model";
    private const string Conntrack = "a test run has no connection tracking table";

    public static IReadOnlyList<KfuncInfo> All => Rows;

    public static bool TryGet(int id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KfuncInfo? info)
    {
        info = (uint)(id - 1) < (uint)Rows.Length ? Rows[id - 1] : null;
        return info is not null;
    }

    public static bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KfuncInfo? info) =>
        ByName.TryGetValue(name, out info);

    /// <summary>The code of kfunc <paramref name="id"/>, or null: what the engines call.</summary>
    public static HelperFunction? FunctionOf(long id) => (ulong)(id - 1) < (ulong)Rows.Length ? Rows[id - 1].Function : null;
}

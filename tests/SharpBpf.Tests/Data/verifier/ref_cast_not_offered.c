// SPDX-License-Identifier: GPL-2.0
// XDP has no skb socket: bpf_sk_fullsock is a tc/cgroup_skb helper, even on a looked-up socket.
#include "ref_casts.h"
SEC("xdp")
int xdp_fullsock(struct xdp_md *ctx)
{
	struct bpf_sock_tuple tuple;
	web_tuple(&tuple, ctx->ingress_ifindex);
	struct bpf_sock *sk = bpf_sk_lookup_tcp(ctx, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return XDP_PASS;
	struct bpf_sock *full = bpf_sk_fullsock(sk);
	__u32 state = full ? full->state : 0;
	bpf_sk_release(sk);
	return state == 10 ? XDP_DROP : XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
// A sock_common from bpf_skc_lookup_tcp: family and state are readable; released on every path.
#include "ref_sockets.h"
SEC("tc")
int common_fields(struct __sk_buff *skb)
{
	struct bpf_sock_tuple tuple;
	web_tuple(&tuple, skb->mark);
	struct bpf_sock *sk = bpf_skc_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return TC_ACT_OK;
	if (sk->family == 2) {
		bpf_sk_release(sk);
		return TC_ACT_SHOT;
	}
	bpf_sk_release(sk);
	return TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";

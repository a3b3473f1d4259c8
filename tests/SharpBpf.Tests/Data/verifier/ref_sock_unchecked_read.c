// SPDX-License-Identifier: GPL-2.0
// The lookup may fail: its result is read before the NULL check.
#include "ref_sockets.h"
SEC("tc")
int read_unchecked(struct __sk_buff *skb)
{
	struct bpf_sock_tuple tuple;
	web_tuple(&tuple, skb->mark);
	struct bpf_sock *sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	__u32 state = *(volatile __u32 *)&sk->state;
	if (sk)
		bpf_sk_release(sk);
	return state == 10 ? TC_ACT_SHOT : TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
// A socket found and not released when it is listening.
#include "ref_sockets.h"
SEC("tc")
int forget_listener(struct __sk_buff *skb)
{
	struct bpf_sock_tuple tuple;
	web_tuple(&tuple, skb->mark);
	struct bpf_sock *sk = bpf_sk_lookup_udp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return TC_ACT_OK;
	if (sk->state == 10)
		return TC_ACT_SHOT;
	bpf_sk_release(sk);
	return TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";

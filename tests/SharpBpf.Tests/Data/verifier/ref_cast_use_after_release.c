// SPDX-License-Identifier: GPL-2.0
// Releasing the socket releases every cast of it: the tcp_sock is read after bpf_sk_release.
#include "ref_casts.h"
SEC("tc")
int read_after_release(struct __sk_buff *skb)
{
	struct bpf_sock_tuple tuple;
	web_tuple(&tuple, skb->mark);
	struct bpf_sock *sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return TC_ACT_OK;
	struct bpf_tcp_sock *tp = bpf_tcp_sock(sk);
	bpf_sk_release(sk);
	if (!tp)
		return TC_ACT_OK;
	return *(volatile __u32 *)&tp->snd_cwnd > 10 ? TC_ACT_SHOT : TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";

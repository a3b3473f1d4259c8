// SPDX-License-Identifier: GPL-2.0
// Casts of a looked-up socket borrow its reference: the cast is read, the socket released once (through the cast).
#include "ref_casts.h"
SEC("tc")
int cast_then_release(struct __sk_buff *skb)
{
	struct bpf_sock_tuple tuple;
	web_tuple(&tuple, skb->mark);
	struct bpf_sock *sk = bpf_skc_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return TC_ACT_OK;
	__u32 seen = 0;
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(sk);
	if (tp)
		seen += srtt_of(tp);
	struct bpf_sock *full = bpf_sk_fullsock(sk);
	if (!full) {
		bpf_sk_release(sk);
		return TC_ACT_OK;
	}
	seen += full->state;
	bpf_sk_release(full);
	return seen == 7 ? TC_ACT_SHOT : TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";

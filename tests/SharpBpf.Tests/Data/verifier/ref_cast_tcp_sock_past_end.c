// SPDX-License-Identifier: GPL-2.0
// A newer uapi field the kernel's bpf_tcp_sock access does not allow (the word after icsk_retransmits).
#include "ref_casts.h"
SEC("tc")
int past_retransmits(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return TC_ACT_OK;
	struct bpf_tcp_sock *tp = bpf_tcp_sock(sk);
	if (!tp)
		return TC_ACT_OK;
	return *((volatile __u32 *)&tp->icsk_retransmits + 1) ? TC_ACT_SHOT : TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";

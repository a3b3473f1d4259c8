// SPDX-License-Identifier: GPL-2.0
// A tcp_sock pointer moved by a variable amount (a table of fields indexed by the mark).
#include "ref_casts.h"
SEC("tc")
int tcp_field_by_index(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return TC_ACT_OK;
	struct bpf_tcp_sock *tp = bpf_tcp_sock(sk);
	if (!tp)
		return TC_ACT_OK;
	__u32 index = skb->mark & 3;
	return *((volatile __u32 *)tp + index) > 10 ? TC_ACT_SHOT : TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";

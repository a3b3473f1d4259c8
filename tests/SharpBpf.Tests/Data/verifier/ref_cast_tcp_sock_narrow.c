// SPDX-License-Identifier: GPL-2.0
// bytes_received is a u64 of bpf_tcp_sock: reading its low half is not allowed.
#include "ref_casts.h"
SEC("tc")
int bytes_low_half(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return TC_ACT_OK;
	struct bpf_tcp_sock *tp = bpf_tcp_sock(sk);
	if (!tp)
		return TC_ACT_OK;
	return *(volatile __u32 *)&tp->bytes_received > 1000 ? TC_ACT_SHOT : TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
// A kernel tcp_sock reached by bpf_skc_to_tcp_sock is read-only for a tc program.
#include "ref_casts.h"
SEC("tc")
int write_srtt(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return TC_ACT_OK;
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(sk);
	if (tp)
		*(volatile __u32 *)((char *)tp + TCP_SOCK_SRTT_US) = 0;
	return TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";

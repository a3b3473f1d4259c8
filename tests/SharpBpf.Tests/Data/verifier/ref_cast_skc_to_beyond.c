// SPDX-License-Identifier: GPL-2.0
// A read just past the end of struct tcp_sock (a tcp6_sock's ipv6 part, without the tcp6 cast).
#include "ref_casts.h"
SEC("tc")
int read_past_tcp_sock(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return TC_ACT_OK;
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(sk);
	if (!tp)
		return TC_ACT_OK;
	return *(volatile __u32 *)((char *)tp + TCP_SOCK_SIZE) ? TC_ACT_SHOT : TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
// A tcp_sock is read-only: the program tries to lower the congestion window.
#include "ref_casts.h"
SEC("tc")
int clamp_cwnd(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return TC_ACT_OK;
	struct bpf_tcp_sock *tp = bpf_tcp_sock(sk);
	if (tp && tp->snd_cwnd > 10)
		*(volatile __u32 *)&tp->snd_cwnd = 10;
	return TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";

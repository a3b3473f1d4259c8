// SPDX-License-Identifier: GPL-2.0
// bpf_tcp_sock takes a socket of the skb/lookup kinds, not the kernel tcp_sock bpf_skc_to_tcp_sock returns.
#include "ref_casts.h"
SEC("tc")
int tcp_sock_of_btf(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return TC_ACT_OK;
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(sk);
	if (!tp)
		return TC_ACT_OK;
	struct bpf_tcp_sock *btp = bpf_tcp_sock((struct bpf_sock *)tp);
	return btp ? TC_ACT_SHOT : TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";

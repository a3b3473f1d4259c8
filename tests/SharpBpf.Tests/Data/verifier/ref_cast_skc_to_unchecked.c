// SPDX-License-Identifier: GPL-2.0
// bpf_skc_to_tcp_sock may fail: srtt is read before the NULL check.
#include "ref_casts.h"
SEC("tc")
int srtt_unchecked(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return TC_ACT_OK;
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(sk);
	return srtt_of(tp) > 1000 ? TC_ACT_SHOT : TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";

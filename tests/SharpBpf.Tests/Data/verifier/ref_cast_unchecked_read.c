// SPDX-License-Identifier: GPL-2.0
// bpf_sk_fullsock may fail: its result is read before the NULL check.
#include "ref_casts.h"
SEC("tc")
int fullsock_read_unchecked(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return TC_ACT_OK;
	sk = bpf_sk_fullsock(sk);
	return *(volatile __u32 *)&sk->mark == 1 ? TC_ACT_SHOT : TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";

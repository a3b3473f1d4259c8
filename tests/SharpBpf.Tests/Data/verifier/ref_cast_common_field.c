// SPDX-License-Identifier: GPL-2.0
// __sk_buff.sk is a sock_common: protocol needs bpf_sk_fullsock first.
#include "ref_casts.h"
SEC("tc")
int protocol_of_common(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return TC_ACT_OK;
	return *(volatile __u32 *)&sk->protocol == 6 ? TC_ACT_SHOT : TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";
